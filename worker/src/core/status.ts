/**
 * The import status document. The worker writes it (as base64url JSON in the data-ics-status
 * attribute of a <div> in the status topic's first post, next to a human-readable table) and
 * serves it at GET /api/status; the theme's staff widget reads it. Version it when it changes shape.
 */
import type { SyncCounts, SyncOutcome } from "./feed.ts";

export interface StatusDocument {
  version: 1;
  /** ISO instant the document was produced. */
  generatedAt: string;
  feeds: FeedStatus[];
}

export interface FeedStatus {
  id: string;
  name: string;
  /** Seconds between scheduled runs (for cron schedules: the typical gap), used for "stale". */
  intervalSeconds: number;
  nextRunAt: string | null;
  lastRun: RunSummary | null;
}

export interface RunSummary {
  startedAt: string;
  finishedAt: string;
  outcome: SyncOutcome;
  counts: SyncCounts;
  /** At most 20, each with a reason a person can act on. */
  failures: { event?: string; reason: string }[];
}
