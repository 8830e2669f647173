/**
 * Binds the sync engine to the service: syncFeed with the service's Redis, prefix, logger and metrics,
 * and the cross-process feed lock. The processor only sees the small SyncFn / FeedLockFn interfaces.
 */
import type { Redis } from "ioredis";
import type { Logger } from "../core/logger.ts";
import { withFeedLock } from "../sync/feed-lock.ts";
import { syncFeed, type SyncDeps } from "../sync/run-sync.ts";
import type { ServiceMetrics } from "./metrics.ts";
import type { FeedLockFn, SyncFn } from "./processor.ts";

export function engineSync(o: {
  redis: Redis;
  prefix: string;
  logger: Logger;
  metrics: ServiceMetrics;
  fetchOptions?: SyncDeps["fetchOptions"];
}): SyncFn {
  return async (feed, site, run) => {
    const result = await syncFeed(feed, site, {
      redis: o.redis,
      redisPrefix: o.prefix,
      logger: o.logger,
      signal: run.signal,
      onProgress: run.onProgress,
      ...(o.fetchOptions ? { fetchOptions: o.fetchOptions } : {}),
    });
    o.metrics.discourseRequests(site.id, result.requests ?? 0);
    const { plan: _plan, requests: _requests, ...report } = result;
    return report;
  };
}

export function engineLock(redis: Redis, prefix: string): FeedLockFn {
  return (feedId, fn) => withFeedLock(redis, prefix, feedId, fn);
}
