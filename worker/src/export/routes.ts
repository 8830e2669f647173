/**
 * Mounts the exporter's HTTP routes on the service's Fastify server: the subscribable feeds, the
 * Discourse webhook, and the one-off export API.
 */
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { createExportContext } from "./context.ts";
import { registerFeedRoute } from "./feed-route.ts";
import { openExportQueue } from "./queue.ts";
import { registerTaskRoutes } from "./task-routes.ts";
import type { ExportDeps } from "./types.ts";
import { registerWebhookRoute } from "./webhook-route.ts";

export type { ExportDeps } from "./types.ts";

export async function registerExportRoutes(app: FastifyInstance, deps: ExportDeps): Promise<void> {
  // Feeds are read on a connection that fails fast, so a Redis outage answers from memory at once
  // instead of holding subscribers' requests until Redis returns.
  const serveRedis = deps.redis.duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // Its connection errors are the same as those the service already reports for its own connections.
  serveRedis.on("error", () => undefined);
  await readyOrTimeout(serveRedis, 2_000);
  const ctx = createExportContext(deps, serveRedis);
  const { queue, close } = openExportQueue(deps.redis, deps.redisPrefix);
  queue.on("error", (err) => deps.logger.warn({ err: err.message }, "export queue connection problem"));
  app.addHook("onClose", async () => {
    await close();
    serveRedis.disconnect();
  });
  await app.register(async (scope) => {
    registerFeedRoute(scope, ctx, queue);
    registerTaskRoutes(scope, ctx, queue);
  });
  await app.register(async (scope) => registerWebhookRoute(scope, ctx, queue));
}

/** Without an offline queue, requests sent before the first connect fail: wait for it, but not forever. */
async function readyOrTimeout(redis: Redis, ms: number): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    redis.once("ready", done);
    function done() {
      clearTimeout(timer);
      redis.off("ready", done);
      resolve();
    }
  });
}
