import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Redis } from "ioredis";
import { startEmulator, type Emulator } from "../../emulator/index.ts";
import { emptyCounts } from "../../src/core/feed.ts";
import type { StatusDocument } from "../../src/core/status.ts";
import { buildStatusDocument } from "../../src/service/status-document.ts";
import { decodeStatus, renderStatusPost } from "../../src/service/status-topic-render.ts";
import { createDiscourseClient } from "../../src/discourse/client.ts";
import { statusTopicClient } from "../../src/service/status-topic-client.ts";
import { createStatusPublisher } from "../../src/service/status-topic.ts";
import type { RunRecord } from "../../src/service/run-history.ts";
import { startRedis, type TestRedis } from "../support/redis.ts";
import { feed, SITE } from "./fakes.ts";

let emu: Emulator;
let redis: TestRedis;
let client: Redis;

before(async () => {
  emu = await startEmulator({ adminRequestsPerMinute: null });
  redis = await startRedis();
  client = redis.client();
});
after(async () => {
  client.disconnect();
  await redis.stop();
  await emu.close();
});

function run(feedId: string, outcome: RunRecord["outcome"], extra: Partial<RunRecord> = {}): RunRecord {
  return {
    feedId,
    trigger: "schedule",
    attempt: 1,
    startedAt: "2026-11-23T10:00:00.000Z",
    finishedAt: "2026-11-23T10:00:04.000Z",
    durationMs: 4000,
    outcome,
    counts: { ...emptyCounts(), created: 3 },
    failures: [],
    feedProblems: 0,
    ...extra,
  };
}

function doc(at: string, runs: Record<string, RunRecord | null>): StatusDocument {
  return buildStatusDocument({
    feeds: [
      feed("city", { name: "City | events <b>@here</b>" }),
      feed("club", { schedule: { cron: "0 */2 * * *" } }),
    ],
    lastRuns: new Map(Object.entries(runs)),
    nextRuns: new Map([["city", Date.parse("2026-11-23T11:00:00Z")]]),
    now: new Date(at),
  });
}

test("the status document summarises runs: interval, next run, outcome, failures capped at 20", () => {
  const failures = Array.from({ length: 25 }, (_, i) => ({
    eventKey: `k${i}`,
    reason: `422: Title has already been used (${i})`,
  }));
  const d = doc("2026-11-23T10:05:00Z", { city: run("city", "partial", { failures }), club: null });
  assert.equal(d.feeds[0]!.intervalSeconds, 3600);
  assert.equal(d.feeds[1]!.intervalSeconds, 7200);
  assert.equal(d.feeds[0]!.nextRunAt, "2026-11-23T11:00:00.000Z");
  assert.equal(d.feeds[1]!.nextRunAt, null);
  assert.equal(d.feeds[1]!.lastRun, null);
  assert.equal(d.feeds[0]!.lastRun!.failures.length, 20);
  assert.deepEqual(d.feeds[0]!.lastRun!.failures[0], {
    event: "k0",
    reason: "422: Title has already been used (0)",
  });
  const whole = doc("2026-11-23T10:05:00Z", { city: run("city", "failed", { reason: "feed answered 404" }) });
  assert.deepEqual(whole.feeds[0]!.lastRun!.failures, [{ reason: "feed answered 404" }]);
});

test("the post carries a readable table and the document as base64url JSON in a div", () => {
  const d = doc("2026-11-23T10:05:00Z", { city: run("city", "ok") });
  const raw = renderStatusPost(d);
  assert.match(raw, /\| Feed \| Last run \|/);
  const m = /<div data-ics-status="([A-Za-z0-9_-]+)"><\/div>/.exec(raw);
  assert.ok(m);
  assert.deepEqual(decodeStatus(m[1]!), d);
  const tableRow = raw.split("\n").find((l) => l.includes("City"))!;
  assert.equal(tableRow.split("|").length, 8, "a | in a feed name does not add a column");
  assert.ok(!raw.includes("@here") && !raw.includes("<b>"), "names cannot mention or inject HTML");
});

test("the status topic is created once in the staff category, then edited quietly only when the status changed", async () => {
  const prefix = "st1";
  const publisher = createStatusPublisher({
    client: statusTopicClient(createDiscourseClient(siteAt())),
    redis: client,
    prefix,
    siteId: "forum",
    categoryId: 2,
  });
  const first = doc("2026-11-23T10:05:00Z", { city: run("city", "ok") });
  assert.equal(await publisher.publish(first), "created");
  const [topic] = emu.topics().filter((t) => t.externalId === "dics-status-forum");
  assert.ok(topic);
  assert.equal(topic.categoryId, 2);
  const bumpedAt = topic.bumpedAt;

  const before = emu.counters().total;
  assert.equal(
    await publisher.publish(doc("2026-11-23T10:20:00Z", { city: run("city", "ok") })),
    "unchanged",
  );
  assert.equal(emu.counters().total, before, "no request when only generatedAt differs");

  const changed = doc("2026-11-23T10:35:00Z", {
    city: run("city", "partial", { failures: [{ reason: "boom" }] }),
  });
  assert.equal(await publisher.publish(changed), "updated");
  const after = emu.topics().find((t) => t.id === topic.id)!;
  assert.equal(after.posts[0]!.version, 2);
  assert.equal(after.bumpedAt, bumpedAt, "edited with bypass_bump");
  assert.deepEqual(decodeStatus(/data-ics-status="([^"]+)"/.exec(after.posts[0]!.raw)![1]!), changed);
  assert.ok(
    /data-ics-status="[^"]+"/.test(after.posts[0]!.cooked),
    "Discourse keeps the data attribute on the div",
  );

  // Redis flushed: the topic is found again by external_id, not duplicated, and not edited when unchanged.
  await client.flushall();
  const fresh = createStatusPublisher({
    client: statusTopicClient(createDiscourseClient(siteAt())),
    redis: client,
    prefix,
    siteId: "forum",
    categoryId: 2,
  });
  assert.equal(await fresh.publish(changed), "unchanged");
  assert.equal(await fresh.publish(first), "updated");
  assert.equal(emu.topics().filter((t) => t.externalId === "dics-status-forum").length, 1);
});

function siteAt() {
  return { ...SITE, baseUrl: emu.url, apiKey: emu.adminApiKey };
}
