import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { silentLogger } from "../../src/core/logger.ts";
import type { FeedConfig } from "../../src/core/feed.ts";
import { createRunHistory } from "../../src/service/run-history.ts";
import {
  createRedisConnections,
  waitUntilReady,
  type RedisConnections,
} from "../../src/service/redis-connections.ts";
import {
  createSyncQueue,
  enqueueManualSync,
  reconcileSchedulers,
  type SyncQueue,
} from "../../src/service/sync-queue.ts";
import { startSyncWorker, type SyncWorker } from "../../src/service/sync-worker.ts";
import { startRedis, type TestRedis } from "../support/redis.ts";
import { fakeSync, feed, memoryLock, report, SITE, sleep, type FakeSync } from "./fakes.ts";
import { waitFor } from "../support/wait.ts";

const settings = { attempts: 2, backoffSeconds: 1, keepCompletedJobs: 10, keepFailedJobs: 10 };
let redis: TestRedis;
let conns: RedisConnections;

before(async () => {
  redis = await startRedis();
  conns = createRedisConnections(redis.url, silentLogger());
  await waitUntilReady(conns.queue);
});
after(async () => {
  await conns.close();
  await redis.stop();
});

interface Rig {
  prefix: string;
  queue: SyncQueue;
  sync: FakeSync;
  worker: SyncWorker;
  feeds: Map<string, FeedConfig>;
  history: ReturnType<typeof createRunHistory>;
  startWorker(): SyncWorker;
  close(): Promise<void>;
}

function rig(feeds: FeedConfig[], lock = memoryLock()): Rig {
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const queue = createSyncQueue(conns.queue, prefix);
  const sync = fakeSync();
  const history = createRunHistory(conns.state, prefix);
  const map = new Map(feeds.map((f) => [f.id, f]));
  const startWorker = () =>
    startSyncWorker({
      connection: conns.worker,
      prefix,
      concurrency: 4,
      logger: silentLogger(),
      processor: {
        getFeed: async (id) => map.get(id),
        getSite: (id) => (id === SITE.id ? SITE : undefined),
        sync: sync.fn,
        withFeedLock: lock,
        history,
      },
    });
  const r: Rig = {
    prefix,
    queue,
    sync,
    feeds: map,
    history,
    worker: startWorker(),
    startWorker,
    async close() {
      await r.worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    },
  };
  return r;
}

test("each feed gets a scheduler that runs it at once, and different feeds run concurrently", async () => {
  const r = rig([feed("a"), feed("b")]);
  let running = 0;
  let maxRunning = 0;
  const slow = async () => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    await sleep(300);
    running--;
    return report("x");
  };
  r.sync.behave.set("a", slow);
  r.sync.behave.set("b", slow);
  const plan = await reconcileSchedulers(r.queue, [...r.feeds.values()], settings, silentLogger());
  assert.deepEqual(plan.upsert.map((f) => f.id).sort(), ["a", "b"]);
  await waitFor(
    "both runs recorded",
    async () => (await r.history.list("a")).length && (await r.history.list("b")).length,
  );
  assert.equal(maxRunning, 2);
  const schedulers = await r.queue.getJobSchedulers(0, -1);
  assert.deepEqual(schedulers.map((s) => [s.key, s.every]).sort(), [
    ["feed:a", 3_600_000],
    ["feed:b", 3_600_000],
  ]);
  const again = await reconcileSchedulers(r.queue, [feed("a")], settings, silentLogger());
  assert.deepEqual(again, { upsert: [], remove: ["feed:b"] });
  assert.deepEqual(
    (await r.queue.getJobSchedulers(0, -1)).map((s) => s.key),
    ["feed:a"],
  );
  await r.close();
});

test("manual syncs are deduplicated by feed id while one is pending", async () => {
  const r = rig([feed("m")]);
  await r.worker.close();
  const j1 = await enqueueManualSync(r.queue, "m", settings);
  const j2 = await enqueueManualSync(r.queue, "m", settings);
  assert.equal(j1.id, j2.id);
  assert.equal(await r.queue.count(), 1);
  r.worker = r.startWorker();
  await waitFor("manual run", async () => (await r.history.list("m")).length);
  const runs = await r.history.list("m");
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.trigger, "manual");
  assert.equal(r.sync.calls.length, 1);
  await r.close();
});

test("a run finding the feed lock taken ends as skipped: already running (not a failure)", async () => {
  const lock = memoryLock();
  lock.held.add("l");
  const r = rig([feed("l")], lock);
  const job = await enqueueManualSync(r.queue, "l", settings);
  await waitFor("skipped run", async () => (await r.queue.getJob(job.id!))?.finishedOn);
  const done = await r.queue.getJob(job.id!);
  assert.equal(await done!.getState(), "completed");
  assert.deepEqual(
    { outcome: done!.returnvalue.outcome, reason: done!.returnvalue.reason },
    { outcome: "skipped", reason: "already running" },
  );
  assert.equal(r.sync.calls.length, 0);
  assert.equal((await r.history.list("l"))[0]!.outcome, "skipped");
  assert.equal(await r.history.lastCompleted("l"), null);
  await r.close();
});

test("failed runs are retried with backoff and each attempt is recorded with its reason", async () => {
  const r = rig([feed("f")]);
  r.sync.behave.set("f", async (_o, n) => {
    if (n === 1) throw new Error("feed https://example.org/f.ics answered 503");
    return report("f", "ok", 4);
  });
  const job = await enqueueManualSync(r.queue, "f", settings);
  await waitFor("retry succeeded", async () => (await r.queue.getJob(job.id!))?.finishedOn, 15_000);
  const done = await r.queue.getJob(job.id!);
  assert.equal(await done!.getState(), "completed");
  assert.equal(done!.attemptsMade, 2);
  const runs = await r.history.list("f");
  assert.deepEqual(
    runs.map((x) => [x.outcome, x.attempt]),
    [
      ["ok", 2],
      ["failed", 1],
    ],
  );
  assert.match(runs[1]!.reason!, /answered 503/);
  assert.ok(
    new Date(runs[0]!.startedAt).getTime() - new Date(runs[1]!.finishedAt).getTime() >= 900,
    "backoff waited",
  );
  assert.equal(runs[0]!.counts.created, 4);
  await r.close();
});

test("a report with outcome failed fails the job after its attempts", async () => {
  const r = rig([feed("x")]);
  r.sync.behave.set("x", async () => report("x", "failed", 0));
  const job = await enqueueManualSync(r.queue, "x", settings);
  await waitFor(
    "job failed",
    async () => (await (await r.queue.getJob(job.id!))?.getState()) === "failed",
    15_000,
  );
  const failed = await r.queue.getJob(job.id!);
  assert.match(failed!.failedReason, /feed x: sync failed: feed answered 500/);
  assert.equal((await r.history.list("x")).length, 2);
  await r.close();
});

test("shutdown aborts the run in progress, puts the job back without using an attempt, and the next start continues", async () => {
  const r = rig([feed("s")]);
  let finishedAfterRestart = false;
  r.sync.behave.set("s", async (opts, n) => {
    if (n === 1) {
      await new Promise<void>((resolve) =>
        opts.signal.addEventListener("abort", () => resolve(), { once: true }),
      );
      return report("s", "partial", 2);
    }
    finishedAfterRestart = true;
    return report("s", "ok", 3);
  });
  const job = await enqueueManualSync(r.queue, "s", settings);
  await waitFor("run started", () => r.sync.calls.length === 1);
  await r.worker.close();
  assert.equal(r.sync.calls[0]!.signal.aborted, true);
  const parked = await r.queue.getJob(job.id!);
  assert.equal(await parked!.getState(), "delayed");
  assert.equal((await r.history.list("s"))[0]!.outcome, "interrupted");
  r.worker = r.startWorker();
  await waitFor("continued after restart", () => finishedAfterRestart, 15_000);
  await waitFor("completed", async () => (await (await r.queue.getJob(job.id!))?.getState()) === "completed");
  const runs = await r.history.list("s");
  assert.deepEqual(
    runs.map((x) => x.outcome),
    ["ok", "interrupted"],
  );
  assert.equal(runs[0]!.attempt, 1, "the interruption did not use up an attempt");
  await r.close();
});

test("schedulers lost with a flushed Redis are re-created by the next reconcile", async () => {
  const r = rig([feed("z")]);
  await reconcileSchedulers(r.queue, [feed("z")], settings, silentLogger());
  await waitFor("first run", async () => (await r.history.list("z")).length);
  await (conns.state as Redis).flushall();
  assert.equal((await r.queue.getJobSchedulers(0, -1)).length, 0);
  const plan = await reconcileSchedulers(r.queue, [feed("z")], settings, silentLogger());
  assert.deepEqual(
    plan.upsert.map((f) => f.id),
    ["z"],
  );
  await waitFor("run after flush", async () => (await r.history.list("z")).length);
  await r.close();
});
