/** Test doubles for the service: a controllable sync function and an in-process feed lock. */
import { emptyCounts, type FeedConfig, type SiteConfig, type SyncReport } from "../../src/core/feed.ts";
import type { FeedLockFn, SyncFn, SyncRunOptions } from "../../src/service/processor.ts";

export const SITE: SiteConfig = {
  id: "forum",
  baseUrl: "http://127.0.0.1:9",
  apiUsername: "system",
  apiKey: "site-api-key-secret",
  requestsPerMinute: 60,
  timezone: "UTC",
  calendarPlugin: false,
};

export function feed(id: string, extra: Partial<FeedConfig> = {}): FeedConfig {
  return {
    id,
    name: `Feed ${id}`,
    source: { url: `https://example.org/${id}.ics` },
    siteId: "forum",
    categoryId: 3,
    tags: [],
    window: { pastDays: 7, futureDays: 90 },
    schedule: { everySeconds: 3600 },
    titleTemplate: "{summary} ({date})",
    cancelled: "note",
    removed: "close",
    adoption: "off",
    allowMassRemoval: false,
    ...extra,
  };
}

export function report(feedId: string, outcome: SyncReport["outcome"] = "ok", created = 1): SyncReport {
  const t = new Date().toISOString();
  return {
    feedId,
    startedAt: t,
    finishedAt: t,
    outcome,
    counts: { ...emptyCounts(), created },
    failures: outcome === "failed" ? [{ reason: "feed answered 500" }] : [],
    feedProblems: [],
  };
}

export interface FakeSync {
  fn: SyncFn;
  calls: { feedId: string; signal: AbortSignal }[];
  /** Behaviour per call, by feed id; default: a quick ok report. */
  behave: Map<string, (opts: SyncRunOptions, call: number) => Promise<SyncReport>>;
}

export function fakeSync(): FakeSync {
  const calls: FakeSync["calls"] = [];
  const behave: FakeSync["behave"] = new Map();
  const perFeed = new Map<string, number>();
  return {
    calls,
    behave,
    fn: async (f, _site, opts) => {
      calls.push({ feedId: f.id, signal: opts.signal });
      const n = (perFeed.get(f.id) ?? 0) + 1;
      perFeed.set(f.id, n);
      const b = behave.get(f.id);
      return b ? await b(opts, n) : report(f.id);
    },
  };
}

export function memoryLock(): FeedLockFn & { held: Set<string> } {
  const held = new Set<string>();
  const lock = async <T>(feedId: string, fn: () => Promise<T>): Promise<T | "locked"> => {
    if (held.has(feedId)) return "locked";
    held.add(feedId);
    try {
      return await fn();
    } finally {
      held.delete(feedId);
    }
  };
  return Object.assign(lock, { held });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
