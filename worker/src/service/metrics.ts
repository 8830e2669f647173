/**
 * Prometheus metrics of one worker process (scrape each process; sum in queries).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { SyncCounts } from "../core/feed.ts";
import type { RunRecord } from "./run-history.ts";

export interface ServiceMetrics {
  registry: Registry;
  recordRun(run: RunRecord): void;
  discourseRequests(siteId: string, count: number): void;
}

export function createMetrics(queueCounts: () => Promise<Record<string, number>>): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "dics_" });
  const runs = new Counter({
    name: "dics_sync_runs_total",
    help: "Sync runs by feed and outcome (ok, partial, failed, not-modified, skipped, interrupted)",
    labelNames: ["feed", "outcome"] as const,
    registers: [registry],
  });
  const events = new Counter({
    name: "dics_sync_events_total",
    help: "Events handled by sync runs, by feed and action",
    labelNames: ["feed", "action"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "dics_sync_run_duration_seconds",
    help: "Wall time of sync runs",
    labelNames: ["feed"] as const,
    buckets: [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  });
  const requests = new Counter({
    name: "dics_discourse_requests_total",
    help: "Requests this process's sync runs made to Discourse, by site",
    labelNames: ["site"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "dics_queue_jobs",
    help: "Sync jobs in the queue by state (shared by all processes)",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      try {
        const counts = await queueCounts();
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      } catch {
        // Redis away: leave the last values; /api/health/detailed says why.
      }
    },
  });
  return {
    registry,
    recordRun(run) {
      runs.inc({ feed: run.feedId, outcome: run.outcome });
      for (const [action, n] of Object.entries(run.counts) as [keyof SyncCounts, number][]) {
        if (n > 0) events.inc({ feed: run.feedId, action }, n);
      }
      if (run.outcome !== "skipped") duration.observe({ feed: run.feedId }, run.durationMs / 1000);
    },
    discourseRequests(siteId, count) {
      if (count > 0) requests.inc({ site: siteId }, count);
    },
  };
}
