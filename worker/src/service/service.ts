/**
 * Starts the whole worker service from a validated configuration: Redis connections, the sync queue and
 * its schedulers (re-planned periodically and after Redis comes back, so a flushed Redis is rebuilt),
 * the sync worker, the status topic, the HTTP API and, when configured, the exporter.
 */
import type { FastifyInstance } from "fastify";
import type { SiteConfig } from "../core/feed.ts";
import type { Logger } from "../core/logger.ts";
import { noAnswerReason } from "../core/network-reason.ts";
import { createDiscourseClient } from "../discourse/client.ts";
import { createSiteRateLimiter } from "../discourse/rate-limiter.ts";
import { redactUrl } from "../core/redact-url.ts";
import type { ServiceConfig } from "./config.ts";
import { engineLock, engineSync } from "./engine.ts";
import { createFeedRegistry } from "./feed-registry.ts";
import { adminAuth } from "./http/auth.ts";
import type { SiteCheck } from "./http/deps.ts";
import { buildApiServer } from "./http/server.ts";
import { createMetrics } from "./metrics.ts";
import type { SyncFn } from "./processor.ts";
import { createRedisConnections, waitUntilReady } from "./redis-connections.ts";
import { createRunHistory } from "./run-history.ts";
import { defaultSecretSources } from "./secrets.ts";
import { startStatusLoop, type StatusLoop } from "./status-loop.ts";
import { currentStatus } from "./status-source.ts";
import { statusTopicClient } from "./status-topic-client.ts";
import { createStatusPublisher } from "./status-topic.ts";
import { createSyncQueue, reconcileSchedulers } from "./sync-queue.ts";
import { startSyncWorker, type SyncWorker } from "./sync-worker.ts";

export interface ServiceOptions {
  logger: Logger;
  /** Run the sync worker (default true); off for an API-only process. */
  worker?: boolean;
  /** Serve HTTP (default true); off for extra worker processes on the same host. */
  http?: boolean;
  /** Replaces the sync engine (tests). */
  sync?: SyncFn;
  checkSite?: (site: SiteConfig) => Promise<SiteCheck>;
  statusDebounceMs?: number;
}

export interface RunningService {
  /** "http://host:port" when HTTP is on. */
  url?: string;
  app?: FastifyInstance;
  close(): Promise<void>;
}

const SITE_CHECK_TIMEOUT_MS = 3000;

async function defaultCheckSite(site: SiteConfig): Promise<SiteCheck> {
  try {
    const res = await fetch(`${site.baseUrl}/srv/status`, {
      signal: AbortSignal.timeout(SITE_CHECK_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return { reachable: true, status: res.status };
  } catch (err) {
    return { reachable: false, error: noAnswerReason(err, SITE_CHECK_TIMEOUT_MS) };
  }
}

export async function startService(config: ServiceConfig, opts: ServiceOptions): Promise<RunningService> {
  const { logger } = opts;
  const prefix = config.redis.prefix;
  const conns = createRedisConnections(config.redis.url, logger);
  const cleanup: (() => Promise<void>)[] = [() => conns.close()];
  const closeAll = async () => {
    for (const fn of cleanup.reverse())
      await fn().catch((err: Error) => logger.warn({ err: err.message }, "error while stopping"));
  };
  try {
    await waitUntilReady(conns.queue, 30_000);
  } catch (err) {
    await closeAll();
    throw new Error(`cannot reach Redis at ${redactUrl(config.redis.url)}: ${(err as Error).message}`);
  }
  const queue = createSyncQueue(conns.queue, prefix);
  queue.on("error", (err) => logger.warn({ err: err.message }, "sync queue problem"));
  cleanup.push(() => queue.close());
  const history = createRunHistory(conns.state, prefix);
  const registryOn = (redis: typeof conns.state) =>
    createFeedRegistry({
      redis,
      prefix,
      fileFeeds: config.feeds,
      siteIds: config.sites.map((s) => s.id),
      secrets: defaultSecretSources(config.allowInlineSecrets),
      onInvalidStoredFeed: (id, err) =>
        logger.error({ feedId: id, problems: err.problems }, "stored API feed is invalid; skipped"),
    });
  // The worker waits through Redis outages; the HTTP API answers at once (503) instead of hanging.
  const feeds = registryOn(conns.state);
  const apiFeeds = registryOn(conns.queue);
  const apiHistory = createRunHistory(conns.queue, prefix);
  const metrics = createMetrics(() => queue.getJobCounts());
  const settings = config.worker;
  const status = () => currentStatus(apiFeeds, apiHistory, queue);

  const reconcile = async () => {
    try {
      await reconcileSchedulers(
        queue,
        (await feeds.list()).map((e) => e.feed),
        settings,
        logger,
      );
    } catch (err) {
      logger.warn({ err: (err as Error).message }, "could not update feed schedules; will retry");
    }
  };
  await reconcile();
  const timer = setInterval(() => void reconcile(), settings.schedulerCheckSeconds * 1000);
  timer.unref();
  cleanup.push(async () => clearInterval(timer));
  conns.onReconnect(() => void reconcile());

  let statusLoop: StatusLoop | undefined;
  if (config.statusTopic) {
    const site = config.sites.find((s) => s.id === config.statusTopic!.siteId)!;
    const limiter = createSiteRateLimiter(conns.state, site.id, site.requestsPerMinute, prefix);
    const publisher = createStatusPublisher({
      client: statusTopicClient(createDiscourseClient(site, { limiter, logger })),
      redis: conns.state,
      prefix,
      siteId: site.id,
      categoryId: config.statusTopic.categoryId,
    });
    statusLoop = startStatusLoop({ publisher, status, logger, debounceMs: opts.statusDebounceMs ?? 5000 });
    cleanup.push(() => statusLoop!.close());
  }

  let worker: SyncWorker | undefined;
  if (opts.worker !== false) {
    worker = startSyncWorker({
      connection: conns.worker,
      prefix,
      concurrency: settings.concurrency,
      logger,
      processor: {
        getFeed: async (id) => (await feeds.get(id))?.feed,
        getSite: (id) => config.sites.find((s) => s.id === id),
        sync:
          opts.sync ??
          engineSync({
            redis: conns.state,
            prefix,
            logger,
            metrics,
            fetchOptions: config.fetch,
          }),
        withFeedLock: engineLock(conns.state, prefix),
        history,
        onRun: (run) => {
          metrics.recordRun(run);
          statusLoop?.trigger();
        },
      },
    });
    cleanup.push(() => worker!.close());
  }

  const exportDeps = {
    redis: conns.state,
    redisPrefix: prefix,
    sites: config.sites,
    exports: config.exports,
    logger,
    adminPreHandler: adminAuth(config.http.adminToken),
    ...(config.http.publicBaseUrl ? { publicBaseUrl: config.http.publicBaseUrl } : {}),
    ...(config.http.adminToken ? { adminToken: config.http.adminToken } : {}),
  };
  // the exporter's modules (ical-generator among them) load only when exports are configured
  if (config.exports.length > 0 && opts.worker !== false) {
    const { startExportWorker } = await import("../export/worker.ts");
    const exportWorker = startExportWorker(exportDeps);
    cleanup.push(() => exportWorker.close());
  }

  let app: FastifyInstance | undefined;
  let url: string | undefined;
  if (opts.http !== false) {
    app = await buildApiServer({
      config,
      logger,
      feeds: apiFeeds,
      history: apiHistory,
      queue,
      queueSettings: settings,
      metrics,
      pingRedis: async () => {
        await conns.queue.ping();
      },
      checkSite: opts.checkSite ?? defaultCheckSite,
      status,
      feedsChanged: reconcile,
      extraRoutes: async (server) => {
        if (config.exports.length === 0) return;
        const { registerExportRoutes } = await import("../export/routes.ts");
        await registerExportRoutes(server, exportDeps);
      },
    });
    cleanup.push(() => app!.close());
    url = await app.listen({ host: config.http.host, port: config.http.port });
    logger.info({ url }, "http api listening");
  }
  logger.info(
    { feeds: (await feeds.list()).length, worker: Boolean(worker), http: Boolean(app) },
    "service started",
  );
  return { ...(url ? { url } : {}), ...(app ? { app } : {}), close: closeAll };
}
