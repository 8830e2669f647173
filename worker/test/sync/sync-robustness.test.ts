import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { withFeedLock } from "../../src/sync/feed-lock.ts";
import { harnessPerFile, numberedEvents } from "./harness.ts";

const h = harnessPerFile();

function assertOneTopicPerEvent(n: number) {
  const topics = h.eventTopics();
  const ids = topics.map((t) => t.externalId);
  assert.equal(new Set(ids).size, ids.length, "no external id twice");
  assert.equal(topics.length, n, `${topics.length} topics for ${n} events`);
}

test("with 20% injected faults (5xx and dropped connections) the sync converges", async () => {
  const events = numberedEvents(25);
  h.writeFeed(events);
  h.emu.setFaults({ errorRate: 0.1, dropRate: 0.1, seed: 7 });
  let runs = 0;
  let last;
  do {
    last = await h.sync({}, { clientOptions: { backoffMs: 2, maxAttempts: 3 } });
    runs++;
  } while (last.outcome !== "ok" && runs < 6);
  assert.equal(last.outcome, "ok", JSON.stringify(last.failures));
  assertOneTopicPerEvent(25);
  const faults = Object.entries(h.emu.counters().byStatus).filter(([s]) => s === "0" || s.startsWith("5"));
  assert.ok(faults.length > 0, "faults were injected");
  // edits converge too
  h.writeFeed(events.map((e) => ({ ...e, description: "Changed." })));
  for (runs = 0; runs < 6; runs++) {
    last = await h.sync({}, { clientOptions: { backoffMs: 2, maxAttempts: 3 } });
    if (last.outcome === "ok") break;
  }
  assert.equal(last.outcome, "ok");
  h.emu.setFaults(null);
  assert.ok(h.eventTopics().every((t) => /Changed\\\./.test(t.posts[0]!.raw)));
});

test("two syncs of the same feed at once make no duplicates, even without the lock", async () => {
  h.writeFeed(numberedEvents(15));
  h.emu.setFaults({ latencyMs: 3 });
  const [a, b] = await Promise.all([h.sync(), h.sync()]);
  assert.equal(a.counts.failed + b.counts.failed, 0, JSON.stringify([a.failures, b.failures]));
  assertOneTopicPerEvent(15);
  // with the lock, the second run is turned away
  await h.redis.flushall();
  h.emu.reset();
  h.emu.setFaults({ latencyMs: 3 });
  const lock = () => withFeedLock(h.redis, "dics", "community", () => h.sync());
  const results = await Promise.all([lock(), lock()]);
  assert.equal(results.filter((r) => r === "locked").length, 1);
  assertOneTopicPerEvent(15);
});

const mainTs = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

function runCli(
  killWhen?: () => boolean,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        mainTs,
        "sync",
        "--ics",
        h.feedFile,
        "--base-url",
        h.emu.url,
        "--category-id",
        "3",
        "--feed-id",
        "killed",
        "--requests-per-minute",
        "0",
        "--allow-private-addresses",
        "--no-progress",
        "--site-tz",
        "Europe/Berlin",
      ],
      {
        env: {
          ...process.env,
          DISCOURSE_API_KEY: h.emu.adminApiKey,
          REDIS_URL: h.redisServer.url,
          LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const timer = killWhen && setInterval(() => killWhen() && child.kill("SIGKILL"), 2);
    child.on("exit", (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, out });
    });
  });
}

test("a first import killed with SIGKILL at random points and run again leaves one topic per event", async () => {
  const n = 40;
  h.writeFeed(numberedEvents(n));
  h.emu.setFaults({ latencyMs: 8 });
  const kills: string[] = [];
  // kill at a random number of created topics, and at random moments between requests
  for (let i = 0; i < 4; i++) {
    const target = Math.min(n - 1, h.eventTopics().length + 1 + Math.floor(Math.random() * 10));
    const jitterMs = Math.floor(Math.random() * 8);
    let reachedAt = 0;
    const r = await runCli(() => {
      if (h.eventTopics().length < target) return false;
      reachedAt ||= Date.now();
      return Date.now() - reachedAt >= jitterMs;
    });
    kills.push(`${h.eventTopics().length} topics`);
    if (r.signal !== "SIGKILL") break; // finished before the kill
    // a killed run cannot release its lock; it expires after its TTL, which the test does not wait for
    await h.redis.del("dics:sync:killed:lock");
  }
  const final = await runCli();
  assert.equal(final.code, 0, `killed at ${kills.join(", ")}\n${final.out}`);
  assertOneTopicPerEvent(n);
  const again = await runCli();
  assert.equal(again.code, 0);
  assert.match(again.out, /not-modified|unchanged 40/);
});

test("a shutdown stops between API calls, reports what was done, and the next run finishes", async () => {
  h.writeFeed(numberedEvents(12));
  const controller = new AbortController();
  const r = await h.sync(
    {},
    {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === "sync" && p.done === 5) controller.abort(new Error("shutdown"));
      },
    },
  );
  assert.equal(r.outcome, "partial");
  assert.equal(r.counts.created, 5);
  assert.match(r.failures.at(-1)!.reason, /stopped before finishing: 7 of 12/);
  assert.equal(h.eventTopics().length, 5);
  const next = await h.sync();
  assert.equal(next.outcome, "ok");
  assert.equal(next.counts.created, 7);
  assertOneTopicPerEvent(12);
});
