/**
 * A feed never syncs twice at once, across processes: a Redis lock holding a random token, renewed
 * while the run lasts and released only by its holder. If a process dies the lock expires by itself.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

export interface FeedLockOptions {
  /** Lock lifetime without renewal (default 60 s). */
  ttlMs?: number;
  /** How often the holder renews (default a third of the ttl). */
  renewEveryMs?: number;
}

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export function feedLockKey(prefix: string, feedId: string): string {
  return `${prefix}:sync:${feedId}:lock`;
}

export async function withFeedLock<T>(
  redis: Redis,
  prefix: string,
  feedId: string,
  fn: () => Promise<T>,
  opts: FeedLockOptions = {},
): Promise<T | "locked"> {
  const ttl = opts.ttlMs ?? 60_000;
  const key = feedLockKey(prefix, feedId);
  const token = randomUUID();
  const ok = await redis.set(key, token, "PX", ttl, "NX");
  if (ok !== "OK") return "locked";
  const timer = setInterval(
    () => {
      redis.eval(RENEW, 1, key, token, ttl).catch(() => {});
    },
    opts.renewEveryMs ?? Math.floor(ttl / 3),
  );
  timer.unref();
  try {
    return await fn();
  } finally {
    clearInterval(timer);
    await redis.eval(RELEASE, 1, key, token).catch(() => {});
  }
}
