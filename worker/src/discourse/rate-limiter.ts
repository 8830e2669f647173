/**
 * One request budget per Discourse site, shared by every worker process through Redis. Discourse
 * counts all admin-API requests of a site in one sliding window (the last N requests in 60 s), so the
 * limiter keeps the same kind of window, on Redis' clock, with a small margin for network delay.
 */
import type { Redis } from "ioredis";

export interface SiteRateLimiter {
  /** Resolves when one more request may be sent now (the slot is taken). */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Holds every process back for `ms` (Discourse answered 429 with Retry-After). */
  pauseFor(ms: number): Promise<void>;
}

const WINDOW_MS = 60_000;
/** Requests reach Discourse a little after the slot is taken; the margin keeps them in budget. */
const MARGIN_MS = 500;

// KEYS: window zset, pause key. ARGV: limit, window ms, unique member. Returns 0 or ms to wait.
const ACQUIRE = `
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then return pause end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
`;

// KEYS: pause key. ARGV: ms. Only ever lengthens a pause.
const PAUSE = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 0
`;

export function rateLimitKeys(prefix: string, siteId: string): { window: string; pause: string } {
  return { window: `${prefix}:rate:${siteId}`, pause: `${prefix}:rate:${siteId}:pause` };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

let counter = 0;

export function createSiteRateLimiter(
  redis: Redis,
  siteId: string,
  perMinute: number,
  prefix = "dics",
): SiteRateLimiter {
  const keys = rateLimitKeys(prefix, siteId);
  const unlimited = !Number.isFinite(perMinute) || perMinute <= 0;
  return {
    async acquire(signal) {
      for (;;) {
        signal?.throwIfAborted();
        if (unlimited) {
          const pause = await redis.pttl(keys.pause);
          if (pause <= 0) return;
          await sleep(pause, signal);
          continue;
        }
        const member = `${process.pid}:${Date.now()}:${++counter}:${Math.random()}`;
        const wait = Number(
          await redis.eval(ACQUIRE, 2, keys.window, keys.pause, perMinute, WINDOW_MS + MARGIN_MS, member),
        );
        if (wait <= 0) return;
        await sleep(wait, signal);
      }
    },
    async pauseFor(ms) {
      if (ms > 0) await redis.eval(PAUSE, 1, keys.pause, Math.ceil(ms));
    },
  };
}

export { sleep };
