/**
 * The Redis connection roles BullMQ recommends, created and watched in one place:
 * - queue: fails fast while Redis is away (enableOfflineQueue false), so API calls answer instead of hanging;
 * - worker: waits through outages (maxRetriesPerRequest null), as blocking BullMQ workers need;
 * - state: for run history, API feeds, locks, rate limiter and the sync engine; also waits through outages
 *   so a run in progress pauses instead of failing half-way.
 */
import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../core/logger.ts";

export interface RedisConnections {
  queue: Redis;
  worker: Redis;
  state: Redis;
  /** Called each time the queue connection becomes ready again after a loss (not the first time). */
  onReconnect(fn: () => void): void;
  close(): Promise<void>;
}

const retryStrategy = (times: number) => Math.min(200 * 2 ** Math.min(times, 6), 10_000);

export function createRedisConnections(url: string, logger: Logger): RedisConnections {
  const base: RedisOptions = { retryStrategy, connectionName: "discourse-ics" };
  const queue = new Redis(url, { ...base, enableOfflineQueue: false });
  const worker = new Redis(url, { ...base, maxRetriesPerRequest: null });
  const state = new Redis(url, { ...base, maxRetriesPerRequest: null });
  const reconnectHandlers: (() => void)[] = [];
  const roles = { queue, worker, state };
  const lastLogged = new Map<string, number>();
  for (const [role, conn] of Object.entries(roles)) {
    let lost = false;
    conn.on("error", (err: Error) => {
      const key = `${role}:${err.message}`;
      const now = Date.now();
      // One line per role and message every 30 s: a Redis outage retries many times a second.
      if ((lastLogged.get(key) ?? 0) + 30_000 < now) {
        lastLogged.set(key, now);
        logger.warn({ role, err: err.message }, "redis connection problem");
      }
    });
    conn.on("close", () => {
      lost = true;
    });
    conn.on("ready", () => {
      if (!lost) return;
      lost = false;
      logger.info({ role }, "redis connection restored");
      if (role === "queue") for (const fn of reconnectHandlers) fn();
    });
  }
  return {
    ...roles,
    onReconnect(fn) {
      reconnectHandlers.push(fn);
    },
    async close() {
      await Promise.all(Object.values(roles).map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/** Resolves once the connection is ready (the queue role refuses commands until then). */
export async function waitUntilReady(conn: Redis, timeoutMs = 10_000): Promise<void> {
  if (conn.status === "ready") return;
  let lastError: Error | undefined;
  const onError = (err: Error) => (lastError = err);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      conn.off("ready", onReady);
      // the reason (refused, unknown host, wrong password) is only ever told through "error" events
      reject(new Error(`redis not ready after ${timeoutMs} ms${lastError ? `: ${lastError.message}` : ""}`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    conn.once("ready", onReady);
    conn.on("error", onError);
  }).finally(() => conn.off("error", onError));
}
