import { test } from "node:test";
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import { createStateStore, siteKeys, stateKeys } from "../../src/sync/state-store.ts";
import { harnessPerFile, numberedEvents } from "./harness.ts";

const h = harnessPerFile({ calendarPlugin: true });

const SITE_TZ = "Europe/Berlin";

/** Requests since `mark`, by route. */
function routesSince(mark: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const q of h.emu.requests().slice(mark)) out[q.route] = (out[q.route] ?? 0) + 1;
  return out;
}

const topicReads = (r: Record<string, number>) => r["GET /t/:id.json"] ?? 0;
const listPages = (r: Record<string, number>) =>
  (r["GET /c/:id.json"] ?? 0) + (r["GET /c/:slug/:id.json"] ?? 0);

async function api(method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${h.emu.url}${path}`, {
    method,
    headers: { "Api-Key": h.emu.adminApiKey, "Api-Username": "system", "Content-Type": "application/json" },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status}`);
}

test("feeds sharing a category never read each other's topics", async () => {
  h.writeFeed(numberedEvents(5));
  assert.equal((await h.sync({ id: "a" })).counts.created, 5);
  const mark = h.emu.requests().length;
  const b = await h.sync({ id: "b" });
  assert.equal(b.counts.created, 5);
  const routes = routesSince(mark);
  assert.equal(topicReads(routes), 0, JSON.stringify(routes));
  assert.equal(listPages(routes), 1);
});

test("a topic that cannot be adopted is read once, for every feed, until it changes", async () => {
  const chat = h.emu.createTopicAs("alice", {
    title: "Where do we meet for lunch today",
    raw: "Anyone up for lunch at the usual place?",
    category: 3,
  });
  h.writeFeed(numberedEvents(1));
  let mark = h.emu.requests().length;
  await h.sync({ id: "a" });
  assert.equal(topicReads(routesSince(mark)), 1, "read on the first scan");

  h.writeFeed(numberedEvents(2));
  mark = h.emu.requests().length;
  await h.sync({ id: "a" });
  await h.sync({ id: "b" });
  assert.equal(topicReads(routesSince(mark)), 0, "neither the next run nor another feed reads it again");

  // a reply bumps the topic: its list entry changes, so it is looked at again (once)
  await api("POST", "/posts.json", { topic_id: chat.id, raw: "Count me in, see you there." });
  h.writeFeed(numberedEvents(3));
  mark = h.emu.requests().length;
  await h.sync({ id: "a" });
  await h.sync({ id: "b" });
  assert.equal(topicReads(routesSince(mark)), 1);
});

test("with adoption off there is no scan; topics forgotten in a lost Redis are found by external_id", async () => {
  h.writeFeed(numberedEvents(3));
  let mark = h.emu.requests().length;
  assert.equal((await h.sync({ adoption: "off" })).counts.created, 3);
  let routes = routesSince(mark);
  assert.equal(listPages(routes), 0, JSON.stringify(routes));
  assert.equal(routes["POST /posts.json"], 3);
  // with nothing in the state store, one lookup tells a new feed from a lost state
  assert.equal(routes["GET /t/external_id/:external_id.json"], 1);

  await h.redis.flushall();
  mark = h.emu.requests().length;
  const again = await h.sync({ adoption: "off" });
  assert.equal(again.counts.adopted, 3);
  assert.equal(again.counts.created, 0);
  assert.equal(h.eventTopics().length, 3);
  routes = routesSince(mark);
  assert.equal(listPages(routes), 0);
  assert.equal(routes["POST /posts.json"] ?? 0, 0, "nothing is created again");
  assert.equal(routes["GET /t/external_id/:external_id.json"], 1 + 3, JSON.stringify(routes));
});

test("paging stops at what the last scan saw; older candidates are still adopted", async () => {
  // a person's event topic from long ago, far down the category list
  const [old] = numberedEvents(1, { uid: "old@x", location: "Hall" });
  const start = DateTime.fromJSDate(old!.start as Date).setZone(SITE_TZ);
  const person = h.emu.createTopicAs("alice", {
    title: "The hall evening, everyone welcome",
    raw: `[event start="${start.toFormat("yyyy-MM-dd HH:mm")}" end="${start.plus({ hours: 1 }).toFormat("yyyy-MM-dd HH:mm")}" timezone="${SITE_TZ}" location="Hall"]\n[/event]`,
    category: 3,
    createdAt: "2020-01-01T00:00:00.000Z",
  });
  h.writeFeed(numberedEvents(40).map((e, i) => ({ ...e, uid: `many-${i}@x` })));
  await h.sync({ id: "a" });
  h.writeFeed(numberedEvents(1, { uid: "b@x" }));
  let mark = h.emu.requests().length;
  await h.sync({ id: "b" });
  assert.equal(listPages(routesSince(mark)), 2, "a full walk: 41 topics in two pages");

  h.writeFeed([old!]);
  mark = h.emu.requests().length;
  const c = await h.sync({ id: "c" });
  const routes = routesSince(mark);
  assert.equal(listPages(routes), 1, JSON.stringify(routes));
  assert.equal(c.counts.adopted, 1, JSON.stringify(c));
  assert.ok(
    h.eventTopics().some((t) => t.id === person.id && t.posts[0]!.raw.includes("discourse-ics:begin")),
  );
});

test("a remembered topic deleted since is not adopted: the event gets its own topic", async () => {
  const [e] = numberedEvents(1);
  const start = DateTime.fromJSDate(e!.start as Date).setZone(SITE_TZ);
  const raw = `[event start="${start.toFormat("yyyy-MM-dd HH:mm")}" end="${start.plus({ hours: 1 }).toFormat("yyyy-MM-dd HH:mm")}" timezone="${SITE_TZ}" location="Room 0"]\n[/event]`;
  const person = h.emu.createTopicAs("alice", { title: "Our monthly get-together", raw, category: 3 });
  // remembered by a first run for another place
  h.writeFeed([{ ...e!, location: "Elsewhere" }]);
  assert.equal((await h.sync({ removed: "keep" })).counts.created, 1);
  // as a moderator would: the topic disappears without its list entry being bumped first
  await api("DELETE", `/t/${person.id}.json`);
  // planted in the cache as if the scan had not noticed the deletion
  const store = createStateStore(h.redis);
  const state = await store.getScanState("forum", 3);
  assert.ok(state.entries.get(person.id)?.candidate, "the person's topic was remembered as a candidate");
  h.writeFeed([
    { ...e!, location: "Elsewhere" },
    { ...e!, uid: "second@x", location: "Room 0" },
  ]);
  const { planSync } = await import("../../src/sync/planner.ts");
  const { executeAction } = await import("../../src/sync/execute.ts");
  const { createDiscourseClient } = await import("../../src/discourse/client.ts");
  const { parseFeed } = await import("../../src/ics/parse.ts");
  const { readFileSync } = await import("node:fs");
  const { syncWindow } = await import("../../src/sync/run-sync.ts");
  const feed = h.feed({ removed: "keep" });
  const window = syncWindow(feed, new Date());
  const parsed = parseFeed(readFileSync(h.feedFile), { feedId: feed.id, window, defaultTimezone: "UTC" });
  const candidate = { ...state.entries.get(person.id)!.candidate!, cached: true };
  const plan = planSync({
    site: h.site,
    feed,
    events: parsed.events,
    records: [],
    window,
    candidates: [candidate],
  });
  const adopt = plan.find((a) => a.kind === "adopt")!;
  assert.equal(adopt.candidate!.topicId, person.id);
  const client = createDiscourseClient(h.site);
  const result = await executeAction({ client, site: h.site, feed, now: () => new Date() }, adopt);
  assert.equal(result.count, "created");
  assert.notEqual(result.record!.topicId, person.id);
});

test("records from before the owned-topics index are indexed on first use; a dry run writes nothing", async () => {
  const store = createStateStore(h.redis, "idx");
  const record = (feedId: string, topicId: number) => ({
    feedId,
    siteId: "forum",
    eventKey: `k${topicId}`,
    externalId: "ics-x",
    topicId,
    postId: topicId * 10,
    categoryId: 3,
    renderHash: "h",
    revision: 1,
    event: { key: `k${topicId}` } as never,
    state: "active" as const,
    updatedAt: "2026-01-01T00:00:00.000Z",
  });
  await store.put(record("a", 11));
  await store.put(record("b", 12));
  await store.put({ ...record("c", 13), siteId: "other" });
  // as an older version left them: records without the index, and a per-feed scan cache
  await h.redis.del(siteKeys("idx", "forum").owned, siteKeys("idx", "other").owned);
  await h.redis.hset(stateKeys("idx", "a").legacyScanned, "99", "{}");

  const dry = await store.getScanState("forum", 3, { readOnly: true });
  assert.deepEqual([...dry.owned].sort(), [11, 12]);
  assert.equal(await h.redis.exists(stateKeys("idx", "").ownedBuilt), 0);

  const state = await store.getScanState("forum", 3);
  assert.deepEqual([...state.owned].sort(), [11, 12]);
  assert.deepEqual(await h.redis.smembers(siteKeys("idx", "other").owned), ["13"]);
  assert.equal(await h.redis.exists(stateKeys("idx", "a").legacyScanned), 0);

  await store.delete("a", "k11");
  assert.deepEqual([...(await store.getScanState("forum", 3)).owned], [12]);
});
