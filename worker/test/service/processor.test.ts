import { test } from "node:test";
import assert from "node:assert/strict";
import { DelayedError } from "bullmq";
import { silentLogger } from "../../src/core/logger.ts";
import type { FeedConfig } from "../../src/core/feed.ts";
import { createSyncProcessor, SyncRunFailedError, type SyncJob } from "../../src/service/processor.ts";
import type { RunHistory, RunRecord } from "../../src/service/run-history.ts";
import { fakeSync, feed, memoryLock, report, SITE } from "./fakes.ts";

function memoryHistory(): RunHistory & { runs: RunRecord[] } {
  const runs: RunRecord[] = [];
  return {
    runs,
    async record(r) {
      runs.unshift(r);
    },
    async list(feedId) {
      return runs.filter((r) => r.feedId === feedId);
    },
    async lastCompleted(feedId) {
      return runs.find((r) => r.feedId === feedId && r.outcome !== "skipped") ?? null;
    },
    async clear() {},
  };
}

function job(feedId: string): SyncJob & { progress: object[]; delayedTo?: number } {
  const j = {
    id: "1",
    data: { feedId, trigger: "manual" as const },
    attemptsMade: 0,
    progress: [] as object[],
    delayedTo: undefined as number | undefined,
    async updateProgress(p: object) {
      j.progress.push(p);
    },
    async moveToDelayed(ts: number) {
      j.delayedTo = ts;
    },
  };
  return j;
}

function setup(feeds: FeedConfig[], shutdown = new AbortController()) {
  const history = memoryHistory();
  const sync = fakeSync();
  const seen: RunRecord[] = [];
  const process = createSyncProcessor({
    getFeed: async (id) => feeds.find((f) => f.id === id),
    getSite: (id) => (id === SITE.id ? SITE : undefined),
    sync: sync.fn,
    withFeedLock: memoryLock(),
    history,
    logger: silentLogger(),
    shutdown: shutdown.signal,
    onRun: (r) => seen.push(r),
  });
  return { history, sync, process, seen, shutdown };
}

test("a job for a feed that was deleted ends as skipped without calling the engine", async () => {
  const s = setup([]);
  const result = await s.process(job("gone"));
  assert.deepEqual(
    { outcome: result.outcome, reason: result.reason },
    { outcome: "skipped", reason: "feed is no longer configured" },
  );
  assert.equal(s.sync.calls.length, 0);
  assert.equal(s.seen.length, 1);
});

test("a feed whose site is missing is recorded as failed with the site named", async () => {
  const s = setup([feed("x", { siteId: "elsewhere" })]);
  const result = await s.process(job("x"));
  assert.equal(result.outcome, "failed");
  assert.match(result.reason!, /site "elsewhere" is not configured/);
});

test("partial runs are results, not retries; their failures are kept", async () => {
  const s = setup([feed("p")]);
  s.sync.behave.set("p", async () => ({
    ...report("p", "partial"),
    failures: [{ eventKey: "e1", reason: "422: Body is too short" }],
  }));
  const result = await s.process(job("p"));
  assert.equal(result.outcome, "partial");
  assert.equal(result.failures, 1);
  assert.deepEqual(s.history.runs[0]!.failures, [{ eventKey: "e1", reason: "422: Body is too short" }]);
});

test("a thrown error is recorded and rethrown as a retryable failure naming the feed", async () => {
  const s = setup([feed("t")]);
  s.sync.behave.set("t", async () => {
    throw new Error("socket hang up");
  });
  await assert.rejects(
    s.process(job("t")),
    (err: Error) =>
      err instanceof SyncRunFailedError && /feed t: sync failed: socket hang up/.test(err.message),
  );
  assert.equal(s.history.runs[0]!.outcome, "failed");
});

test("progress is passed on to the job, and a shutdown parks the job as delayed", async () => {
  const s = setup([feed("g")]);
  s.sync.behave.set("g", async (opts) => {
    opts.onProgress({ phase: "sync", done: 0, total: 3 });
    opts.onProgress({ phase: "sync", done: 1, total: 3 });
    opts.onProgress({ phase: "sync", done: 3, total: 3 });
    s.shutdown.abort();
    return report("g", "partial", 1);
  });
  const j = job("g");
  await assert.rejects(s.process(j), DelayedError);
  assert.deepEqual(j.progress, [
    { phase: "sync", done: 0, total: 3 },
    { phase: "sync", done: 3, total: 3 },
  ]);
  assert.ok(j.delayedTo && j.delayedTo > Date.now());
  assert.equal(s.history.runs[0]!.outcome, "interrupted");
});
