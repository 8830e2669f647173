/**
 * Builds the StatusDocument (status topic, GET /api/status, the theme's staff widget) from the feeds,
 * their last completed runs and their next scheduled times. Pure.
 */
import type { FeedConfig } from "../core/feed.ts";
import type { FeedStatus, RunSummary, StatusDocument } from "../core/status.ts";
import type { RunRecord } from "./run-history.ts";
import { typicalIntervalSeconds } from "./schedule.ts";

const MAX_FAILURES = 20;

export interface StatusInputs {
  feeds: FeedConfig[];
  lastRuns: Map<string, RunRecord | null>;
  nextRuns: Map<string, number | null>;
  now: Date;
}

export function buildStatusDocument(i: StatusInputs): StatusDocument {
  return {
    version: 1,
    generatedAt: i.now.toISOString(),
    feeds: i.feeds.map((f): FeedStatus => {
      const next = i.nextRuns.get(f.id);
      const last = i.lastRuns.get(f.id);
      return {
        id: f.id,
        name: f.name ?? f.id,
        intervalSeconds: typicalIntervalSeconds(f.schedule, f.timezone, i.now),
        nextRunAt: next ? new Date(next).toISOString() : null,
        lastRun: last ? summarizeRun(last) : null,
      };
    }),
  };
}

export function summarizeRun(run: RunRecord): RunSummary {
  const failures = run.failures.map((f) => ({
    ...(f.summary || f.eventKey ? { event: f.summary ?? f.eventKey } : {}),
    reason: f.reason,
  }));
  if (failures.length === 0 && run.reason && run.outcome !== "ok") failures.push({ reason: run.reason });
  return {
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    // An interrupted run applied part of its work; "partial" is the closest outcome the document knows.
    outcome: run.outcome === "interrupted" || run.outcome === "skipped" ? "partial" : run.outcome,
    counts: run.counts,
    failures: failures.slice(0, MAX_FAILURES),
  };
}

/** The document without its timestamp, for "did anything change?" comparisons. */
export function statusFingerprint(doc: StatusDocument): string {
  return JSON.stringify({ ...doc, generatedAt: undefined });
}
