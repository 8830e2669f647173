/**
 * What the worker is told to do, after the configuration has been validated (the zod schema in
 * src/service/config.ts produces exactly these shapes). The sync engine and the CLI consume them.
 */

export interface SiteConfig {
  /** Short name used in logs, keys and status. */
  id: string;
  /** e.g. "https://forum.example.org" (no trailing slash). */
  baseUrl: string;
  apiUsername: string;
  /** Never logged, never returned by the API, never written to status. */
  apiKey: string;
  /** Admin API requests per minute for the whole site (Discourse default 60). */
  requestsPerMinute: number;
  /** IANA zone times are shown in for readers without local-date support. */
  timezone: string;
  /** Whether the site runs the calendar plugin (discourse-post-event): render [event] BBCode. */
  calendarPlugin: boolean;
  /** Secret of the Discourse webhook that refreshes exports (X-Discourse-Event-Signature). */
  webhookSecret?: string;
}

export type RemovedPolicy = "keep" | "close" | "archive" | "unlist" | "delete";
export type CancelledPolicy = "note" | "close";
export type AdoptionMode = "off" | "time-and-location" | "time-only";

export interface FeedSource {
  /** https/http URL (webcal:// read as https) or a local file path / file:// URL. */
  url: string;
  headers?: Record<string, string>;
  basicAuth?: { username: string; password: string };
}

export interface FeedConfig {
  id: string;
  name?: string;
  source: FeedSource;
  siteId: string;
  categoryId: number;
  /** Applied on first create only. */
  tags: string[];
  /** Zone for floating times when the feed gives no X-WR-TIMEZONE. */
  timezone?: string;
  /** Import window around now. */
  window: { pastDays: number; futureDays: number };
  /** Interval in seconds, or a cron expression. */
  schedule: { everySeconds: number } | { cron: string };
  /** Title template, e.g. "{summary} ({date})". */
  titleTemplate: string;
  cancelled: CancelledPolicy;
  removed: RemovedPolicy;
  adoption: AdoptionMode;
  /** Allow a sync to remove more than the mass-removal guard lets through. */
  allowMassRemoval: boolean;
}

export interface SyncCounts {
  created: number;
  updated: number;
  adopted: number;
  unchanged: number;
  cancelled: number;
  removed: number;
  skipped: number;
  failed: number;
}

export interface SyncFailure {
  /** Event key when the failure is about one event. */
  eventKey?: string;
  summary?: string;
  reason: string;
}

export type SyncOutcome = "ok" | "partial" | "failed" | "not-modified";

export interface SyncReport {
  feedId: string;
  startedAt: string;
  finishedAt: string;
  outcome: SyncOutcome;
  counts: SyncCounts;
  failures: SyncFailure[];
  /** Problems found in the feed itself (skipped events, caps hit). */
  feedProblems: { uid?: string; code: string; message: string }[];
}

export function emptyCounts(): SyncCounts {
  return {
    created: 0,
    updated: 0,
    adopted: 0,
    unchanged: 0,
    cancelled: 0,
    removed: 0,
    skipped: 0,
    failed: 0,
  };
}

/** A subscribable ICS export of the forum's events, served at /ics/{name}.ics. */
export interface ExportConfig {
  /** URL-safe name: letters, digits, "-" and "_". */
  name: string;
  siteId: string;
  title?: string;
  description?: string;
  /** Events from these categories (empty: any category). */
  categoryIds: number[];
  includeSubcategories: boolean;
  /** Only events whose topic has one of these tags (empty: any). */
  tags: string[];
  /** Required for private categories: the feed is then served only at /ics/{name}.ics?token=... */
  token?: string;
  /** Also include events made with Discourse's calendar plugin. */
  includeCalendarPlugin: boolean;
  /** How often subscribers should refresh, and how often the worker rebuilds it. */
  refreshMinutes: number;
}
