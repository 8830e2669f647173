import type { FastifyInstance } from "fastify";
import type { SiteConfig } from "../../core/feed.ts";
import type { Logger } from "../../core/logger.ts";
import type { StatusDocument } from "../../core/status.ts";
import type { ServiceConfig } from "../config.ts";
import type { FeedRegistry } from "../feed-registry.ts";
import type { ServiceMetrics } from "../metrics.ts";
import type { RunHistory } from "../run-history.ts";
import type { QueueSettings, SyncQueue } from "../sync-queue.ts";

export interface SiteCheck {
  reachable: boolean;
  status?: number;
  error?: string;
}

/** Everything the HTTP API reads or drives; the service wires the real ones, tests their own. */
export interface ApiDeps {
  config: ServiceConfig;
  logger: Logger;
  feeds: FeedRegistry;
  history: RunHistory;
  queue: SyncQueue;
  queueSettings: QueueSettings;
  metrics: ServiceMetrics;
  /** Resolves when Redis answers a PING. */
  pingRedis(): Promise<void>;
  checkSite(site: SiteConfig): Promise<SiteCheck>;
  status(): Promise<StatusDocument>;
  /** Called after an API feed was created, changed or deleted (re-plans the schedulers). */
  feedsChanged(): Promise<void>;
  /** Extra routes (the exporter's), registered last. */
  extraRoutes?: (app: FastifyInstance) => Promise<void>;
}
