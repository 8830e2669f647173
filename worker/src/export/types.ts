/**
 * Shapes the exporter shares between its pure core (selection, ICS building) and its adapters
 * (Redis cache, Discourse reads, HTTP routes, BullMQ jobs).
 */
import type { Redis } from "ioredis";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ExportConfig, SiteConfig } from "../core/feed.ts";
import type { ImportedEventRecord } from "../core/imported-event.ts";
import type { Logger } from "../core/logger.ts";

/** What the service passes to registerExportRoutes and startExportWorker. */
export interface ExportDeps {
  redis: Redis;
  redisPrefix: string;
  sites: SiteConfig[];
  exports: ExportConfig[];
  logger: Logger;
  /** e.g. "https://ics.example.org" — used for task and download URLs; else taken from the request. */
  publicBaseUrl?: string;
  /** Bearer token for POST /api/exports and its task URLs. Without it (and without adminPreHandler) they answer 503. */
  adminToken?: string;
  /** The service's own admin check; used instead of adminToken when given. */
  adminPreHandler?: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** Where imported events come from; default: the sync engine's Redis state store. */
  records?: ImportedEventSource;
  /** How Discourse is read; default: an HTTP client per site. */
  discourse?: (site: SiteConfig) => DiscourseReader;
  /** How long a webhook-triggered rebuild waits for more changes (default 5 s). */
  rebuildDebounceMs?: number;
  /** Clock, for tests. */
  now?: () => Date;
}

/** The part of the sync engine's state store the exporter reads. */
export interface ImportedEventSource {
  listAll(): Promise<ImportedEventRecord[]>;
}

export interface CategoryInfo {
  id: number;
  parentId?: number;
  /** Only some groups may read it (Discourse read_restricted). */
  restricted: boolean;
  slug?: string;
}

/** An event made with Discourse's calendar plugin, as /discourse-post-event/events.json lists it. */
export interface PluginEvent {
  id: number;
  name?: string | null;
  startsAt: string;
  endsAt?: string | null;
  timezone?: string | null;
  allDay: boolean;
  rrule?: string | null;
  /** "public" | "standalone" | "private" */
  status: string;
  url?: string | null;
  location?: string | null;
  description?: string | null;
  categoryId?: number;
  postId?: number;
  postUrl?: string;
  topicId?: number;
  topicTitle?: string;
  tags: string[];
  /** Rises when the event changes (the exporter keeps count; the plugin does not). */
  sequence?: number;
  /** ISO instant of the last change seen. */
  changedAt?: string;
}

/** What the exporter needs from one Discourse site. */
export interface DiscourseReader {
  categories(): Promise<CategoryInfo[]>;
  /** Topic ids carrying the tag (bounded: see docs). */
  topicIdsWithTag(tag: string): Promise<Set<number>>;
  pluginEvents(opts: { after?: string; before?: string }): Promise<PluginEvent[]>;
}
