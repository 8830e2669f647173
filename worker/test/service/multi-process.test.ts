import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Redis } from "ioredis";
import { startEmulator, type Emulator } from "../../emulator/index.ts";
import { createRunHistory, type RunRecord } from "../../src/service/run-history.ts";
import {
  createRedisConnections,
  waitUntilReady,
  type RedisConnections,
} from "../../src/service/redis-connections.ts";
import { createSyncQueue, enqueueManualSync } from "../../src/service/sync-queue.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { startRedis, type TestRedis } from "../support/redis.ts";
import { waitFor } from "../support/wait.ts";
import { PREFIX, spawnServe, tempDir, writeConfig, writeFeed, type ServeProcess } from "./processes.ts";

let redis: TestRedis;
let emu: Emulator;
let conns: RedisConnections;
let client: Redis;
const started: ServeProcess[] = [];
const settings = { attempts: 3, backoffSeconds: 1, keepCompletedJobs: 50, keepFailedJobs: 50 };

before(async () => {
  redis = await startRedis();
  emu = await startEmulator({ adminRequestsPerMinute: null });
  conns = createRedisConnections(redis.url, silentLogger());
  client = redis.client();
  client.on("error", () => {});
  await waitUntilReady(conns.queue);
});
afterEach(async () => {
  for (const p of started.splice(0)) await p.stop("SIGKILL");
});
after(async () => {
  client.disconnect();
  await conns.close();
  await emu.close();
  await redis.stop();
});

function serve(config: string): ServeProcess {
  const p = spawnServe(config, { REDIS_URL: redis.url, TEST_DISCOURSE_KEY: emu.adminApiKey });
  started.push(p);
  return p;
}

/** Imported topics of a feed, by external id; fails on any duplicate. */
function importedTopics(): Map<string, number> {
  const byExternal = new Map<string, number>();
  for (const t of emu.topics()) {
    if (!t.externalId || t.externalId.startsWith("dics-status")) continue;
    assert.ok(!byExternal.has(t.externalId), `duplicate topic for ${t.externalId}`);
    byExternal.set(t.externalId, t.id);
  }
  const titles = emu
    .topics()
    .filter((t) => t.externalId)
    .map((t) => t.title.toLowerCase());
  assert.equal(new Set(titles).size, titles.length, "no duplicate titles");
  return byExternal;
}

function assertNoOverlap(runs: RunRecord[]): void {
  const real = runs
    .filter((r) => r.outcome !== "skipped")
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  for (let i = 1; i < real.length; i++) {
    assert.ok(
      real[i]!.startedAt >= real[i - 1]!.finishedAt,
      `runs overlap: ${JSON.stringify([real[i - 1], real[i]])}`,
    );
  }
}

/** A clean site and Redis; creating topics is slowed down so runs last long enough to interfere with. */
async function reset(): Promise<void> {
  emu.reset();
  emu.setFaults({ latencyMs: 80, routes: ["POST /posts.json"] });
  await client.flushall();
}

test("two worker processes on one feed: never at the same time, no duplicates", async () => {
  await reset();
  const dir = tempDir();
  const count = 30;
  const config = writeConfig(dir, {
    emulatorUrl: emu.url,
    feeds: [{ id: "shared", path: writeFeed(dir, "shared", count) }],
    perMinute: 600,
    concurrency: 1,
  });
  const a = serve(config);
  const b = serve(config);
  await Promise.all([a.waitForLog(/"service started"/), b.waitForLog(/"service started"/)]);
  const queue = createSyncQueue(conns.queue, PREFIX);
  // While one process is busy with the scheduled run (concurrency 1), ask for another run: the other
  // process picks it up and must find the feed lock taken.
  await waitFor("first topics", () => importedTopics().size >= 3);
  await enqueueManualSync(queue, "shared", settings);
  await waitFor("all events imported", () => importedTopics().size === count, 30_000);
  const history = createRunHistory(client, PREFIX);
  const runs = await waitFor("two runs recorded", async () => {
    const r = await history.list("shared");
    return r.length >= 2 ? r : undefined;
  });
  assert.ok(
    runs.some((r) => r.outcome === "skipped" && r.reason === "already running"),
    JSON.stringify(runs),
  );
  assert.ok(
    runs.some((r) => r.outcome === "ok" && r.counts.created === count),
    JSON.stringify(runs),
  );
  assertNoOverlap(runs);
  const pids = new Set(
    [a, b]
      .filter((p) => p.logs.some((l) => /"sync run finished"|"sync skipped/.test(l)))
      .map((p) => p.child.pid),
  );
  assert.equal(pids.size, 2, "each process took one of the jobs");
  // Another manual run afterwards changes nothing.
  await enqueueManualSync(queue, "shared", settings);
  await waitFor("third run", async () => (await history.list("shared")).length >= 3);
  assert.equal(importedTopics().size, count);
  const [third] = await history.list("shared");
  assert.ok(third!.outcome === "not-modified" || third!.counts.unchanged === count, JSON.stringify(third));
  assert.equal(await a.stop(), 0);
  assert.equal(await b.stop(), 0);
  for (const line of [...a.logs, ...b.logs])
    assert.ok(!line.includes(emu.adminApiKey), `api key in log: ${line}`);
  // Every key (BullMQ's, the sync engine's, the service's) carries the hash tag: one Cluster slot.
  const keys = await client.keys("*");
  assert.ok(keys.length > 10);
  assert.deepEqual(
    keys.filter((k) => !k.startsWith(PREFIX)),
    [],
  );
  await queue.close();
});

test("SIGTERM mid-run stops between API calls, and the next start continues without duplicates", async () => {
  await reset();
  const dir = tempDir();
  const count = 40;
  const config = writeConfig(dir, {
    emulatorUrl: emu.url,
    feeds: [{ id: "term", path: writeFeed(dir, "term", count) }],
    perMinute: 300,
  });
  const first = serve(config);
  await waitFor("some topics", () => importedTopics().size >= 5, 20_000);
  assert.equal(await first.stop("SIGTERM"), 0, "exits cleanly");
  const madeBeforeStop = importedTopics().size;
  assert.ok(madeBeforeStop < count, "stopped before the end");
  const history = createRunHistory(client, PREFIX);
  const [interrupted] = await history.list("term");
  assert.equal(interrupted!.outcome, "interrupted");
  assert.equal(interrupted!.counts.created, madeBeforeStop, "what was done before the stop is recorded");
  const second = serve(config);
  await waitFor("all events imported after restart", () => importedTopics().size === count, 30_000);
  await waitFor("run finished", async () => (await history.list("term"))[0]!.outcome === "ok");
  const [done] = await history.list("term");
  assert.equal(done!.counts.created, count - madeBeforeStop);
  assertNoOverlap(await history.list("term"));
  assert.equal(await second.stop(), 0);
});

test("Redis restarted (and emptied) mid-run: the worker survives, schedules come back, no duplicates", async () => {
  await reset();
  const dir = tempDir();
  const count = 30;
  const config = writeConfig(dir, {
    emulatorUrl: emu.url,
    feeds: [{ id: "bounce", path: writeFeed(dir, "bounce", count) }],
    perMinute: 300,
  });
  const p = serve(config);
  await waitFor("some topics", () => importedTopics().size >= 5, 20_000);
  assert.ok(importedTopics().size < count, "the restart happens mid-run");
  await redis.restart();
  await p.waitForLog(/"redis connection restored"/, 20_000);
  const history = createRunHistory(client, PREFIX);
  // The scheduler is re-created and the next run finds the topics by external_id.
  await waitFor(
    "an ok run after the restart",
    async () => (await history.list("bounce")).some((r) => r.outcome === "ok"),
    40_000,
  );
  assert.equal(importedTopics().size, count);
  assert.ok(p.child.exitCode === null, "still running");
  const queue = createSyncQueue(conns.queue, PREFIX);
  await waitFor(
    "scheduler back",
    async () => (await queue.getJobSchedulers(0, -1)).some((s) => s.key === "feed:bounce"),
    20_000,
  );
  await queue.close();
  assert.equal(await p.stop(), 0);
});

test("a flushed Redis between runs is rebuilt from Discourse without duplicates", async () => {
  await reset();
  const dir = tempDir();
  const count = 20;
  const config = writeConfig(dir, {
    emulatorUrl: emu.url,
    feeds: [{ id: "flush", path: writeFeed(dir, "flush", count) }],
    perMinute: 600,
  });
  const p = serve(config);
  const history = createRunHistory(client, PREFIX);
  await waitFor("first run", async () => (await history.list("flush"))[0]?.outcome === "ok", 30_000);
  assert.equal(importedTopics().size, count);
  await client.flushall();
  // The periodic check (every 5 s here) re-creates the scheduler, whose first job runs at once.
  await waitFor("run after flush", async () => (await history.list("flush"))[0]?.outcome === "ok", 30_000);
  const [after] = await history.list("flush");
  assert.equal(after!.counts.created, 0, JSON.stringify(after));
  assert.equal(importedTopics().size, count);
  assert.equal(await p.stop(), 0);
});
