import { test } from "node:test";
import assert from "node:assert/strict";
import { createStateStore } from "../../src/sync/state-store.ts";
import { harnessPerFile, hoursFromNow, numberedEvents, type IcsEvent } from "./harness.ts";

const h = harnessPerFile();

test("first run creates one topic per event; the second run makes no Discourse request", async () => {
  h.writeFeed(numberedEvents(5));
  const first = await h.sync();
  assert.equal(first.outcome, "ok");
  assert.equal(first.counts.created, 5);
  const topics = h.eventTopics();
  assert.equal(topics.length, 5);
  assert.ok(topics.every((t) => t.externalId && t.tags.join() === "events,community"));
  assert.ok(topics.some((t) => /^Community event number 0 \(\w{3} \d+ \w{3} \d{4}\)$/.test(t.title)));
  const writes = h.emu.requests().filter((r) => r.route === "POST /posts.json").length;
  assert.equal(writes, 5);
  // one create per event, the category page for adoption, and its redirect to the canonical path
  assert.equal(h.emu.counters().total, 7);
  const before = h.emu.counters().total;
  const second = await h.sync();
  assert.equal(second.outcome, "not-modified");
  assert.equal(h.emu.counters().total, before);
  // same bytes but the day's validators forgotten: parsed and planned, still no request
  await h.redis.del("dics:sync:community:fetch");
  const third = await h.sync();
  assert.equal(third.counts.unchanged, 5);
  assert.equal(h.emu.counters().total, before);
});

test("updates: quiet for details, bumping for time or place, human text and title kept", async () => {
  const events = numberedEvents(2);
  h.writeFeed(events);
  await h.sync();
  const [t0] = h.eventTopics();
  const post = t0!.posts[0]!;
  // a moderator adds a note above and below the managed block
  const edited = `Organiser note: bring snacks.\n\n${post.raw}\n\nParking is behind the hall.`;
  const res = await fetch(`${h.emu.url}/posts/${post.id}.json`, {
    method: "PUT",
    headers: { "Api-Key": h.emu.adminApiKey, "Api-Username": "mod", "Content-Type": "application/json" },
    body: JSON.stringify({ post: { raw: edited } }),
  });
  assert.equal(res.status, 200);
  const bumpedBefore = h.eventTopics().find((t) => t.id === t0!.id)!.bumpedAt;
  await new Promise((r) => setTimeout(r, 20));
  h.writeFeed([{ ...events[0]!, description: "New details." }, events[1]!]);
  const quiet = await h.sync();
  assert.equal(quiet.counts.updated, 1);
  let t = h.eventTopics().find((x) => x.id === t0!.id)!;
  assert.equal(t.bumpedAt, bumpedBefore, "a detail change does not bump");
  assert.match(t.posts[0]!.raw, /^Organiser note: bring snacks\./);
  assert.match(t.posts[0]!.raw, /Parking is behind the hall\.$/);
  assert.match(t.posts[0]!.raw, /New details\\\./);
  assert.equal(t.title, t0!.title);
  const requests = h.emu.counters().total;
  h.writeFeed([{ ...events[0]!, description: "New details.", location: "Library" }, events[1]!]);
  const loud = await h.sync();
  assert.equal(loud.counts.updated, 1);
  assert.equal(h.emu.counters().total - requests, 2, "one read and one edit");
  t = h.eventTopics().find((x) => x.id === t0!.id)!;
  assert.notEqual(t.bumpedAt, bumpedBefore, "a new place bumps the topic");
  assert.match(t.posts[0]!.raw, /Library/);
  assert.equal(t.title, t0!.title, "titles never change");
  assert.deepEqual(t.tags, ["events", "community"]);
  const record = await createStateStore(h.redis).get("community", events[0]!.uid);
  assert.equal(record?.revision, 3);
});

test("cancelled events get a note, and with the close policy a closed topic; un-cancelling restores", async () => {
  const events = numberedEvents(2);
  h.writeFeed(events);
  await h.sync();
  h.writeFeed([
    { ...events[0]!, status: "CANCELLED" },
    { ...events[1]!, status: "CANCELLED" },
  ]);
  const r = await h.sync({ cancelled: "close" });
  assert.equal(r.counts.cancelled, 2);
  for (const t of h.eventTopics()) {
    assert.ok(t.closed);
    assert.match(t.posts[0]!.raw, /This event has been cancelled/);
    assert.match(t.posts[0]!.raw, /data-ics-status="cancelled"/);
  }
  h.writeFeed([events[0]!, { ...events[1]!, status: "CANCELLED" }]);
  const back = await h.sync({ cancelled: "close" });
  assert.equal(back.counts.updated, 1);
  const reopened = h.eventTopics().find((t) => t.externalId && !t.closed);
  assert.ok(reopened && !/cancelled/.test(reopened.posts[0]!.raw.split("data-ics-status")[0]!));
  const unchanged = await h.sync({ cancelled: "close" }, { now: () => new Date() });
  assert.equal(unchanged.counts.cancelled + unchanged.counts.updated, 0);
});

test("a cancelled event never imported is skipped; an event listed twice is skipped once", async () => {
  const events: IcsEvent[] = [
    { uid: "gone@x", summary: "Called off before import", start: hoursFromNow(30), status: "CANCELLED" },
    ...numberedEvents(1),
  ];
  h.writeFeed(events);
  const r = await h.sync();
  assert.equal(r.counts.skipped, 1);
  assert.equal(r.counts.created, 1);
  assert.equal(h.eventTopics().length, 1);
});

for (const policy of ["close", "archive", "unlist", "delete", "keep"] as const) {
  test(`events gone from the feed: ${policy}`, async () => {
    const events = numberedEvents(6);
    h.writeFeed(events);
    await h.sync();
    h.writeFeed(events.slice(1));
    const r = await h.sync({ removed: policy });
    assert.equal(r.counts.removed, 1);
    const gone = h.emu
      .topics(true)
      .find((t) => t.posts[0]?.raw.includes(`data-ics-uid="event-0&#64;tests.example"`))!;
    const flags = {
      close: gone.closed,
      archive: gone.archived,
      unlist: !gone.visible,
      delete: gone.deletedAt !== null,
      keep: true,
    };
    assert.ok(flags[policy], JSON.stringify(gone));
    if (policy !== "keep") assert.ok(!(policy !== "close" && gone.closed), "only the chosen status changes");
    // it comes back
    h.writeFeed(events);
    const back = await h.sync({ removed: policy });
    assert.equal(back.counts.updated, 1);
    const again = h.emu.topics(true).find((t) => t.id === gone.id)!;
    assert.ok(
      !again.closed && !again.archived && again.visible && again.deletedAt === null,
      JSON.stringify(again),
    );
    assert.equal(h.eventTopics().length, 6);
  });
}

test("a feed that suddenly has no events removes nothing unless allowed", async () => {
  const events = numberedEvents(6);
  h.writeFeed(events);
  await h.sync();
  h.writeFeed([]);
  const r = await h.sync({ removed: "delete" });
  assert.equal(r.counts.removed, 0);
  assert.equal(r.counts.skipped, 6);
  h.writeFeed(events.slice(5));
  assert.equal((await h.sync({ removed: "delete" })).counts.removed, 0, "losing most events is also refused");
  const allowed = await h.sync({ removed: "delete", allowMassRemoval: true });
  assert.equal(allowed.counts.removed, 5);
  assert.equal(h.eventTopics().filter((t) => t.deletedAt === null).length, 1);
});

test("dry run plans with reasons and writes nothing", async () => {
  h.writeFeed(numberedEvents(3));
  const r = await h.sync({}, { dryRun: true });
  assert.deepEqual(
    r.plan?.map((a) => a.kind),
    ["create", "create", "create"],
  );
  assert.ok(r.plan?.every((a) => a.reason === "new event"));
  assert.equal(h.eventTopics().length, 0);
  assert.equal(h.emu.requests().filter((q) => q.method !== "GET").length, 0);
  assert.deepEqual(await h.redis.keys("dics:sync:*"), []);
});

test("a duplicate title is retried with a distinct title; a 422 is reported per event with Discourse's words", async () => {
  const start = hoursFromNow(48);
  h.writeFeed([
    { uid: "a@x", summary: "Same name", start, location: "A" },
    { uid: "b@x", summary: "Same name", start, location: "B" },
  ]);
  const r = await h.sync();
  assert.equal(r.counts.created, 2);
  const titles = h.eventTopics().map((t) => t.title);
  assert.equal(new Set(titles.map((t) => t.toLowerCase())).size, 2, titles.join(" | "));
  h.emu.reset();
  await h.redis.flushall();
  h.writeFeed(numberedEvents(2));
  h.emu.settings.max_post_length = 100;
  try {
    const r2 = await h.sync();
    assert.equal(r2.outcome, "partial");
    assert.equal(r2.counts.failed, 2);
    assert.match(r2.failures[0]!.reason, /^Body is limited to 100 characters/);
    assert.equal(r2.failures[0]!.summary, "Community event number 0");
  } finally {
    h.emu.reset();
  }
});

test("a missing category or a forum that does not answer fails the run early with a clear reason", async () => {
  h.writeFeed(numberedEvents(4));
  const missing = await h.sync({ categoryId: 999 });
  assert.equal(missing.outcome, "failed");
  assert.match(missing.failures[0]!.reason, /category 999 was not found on site "forum"/);
  // without adoption no category list is read: the first create is refused, and the run stops there
  const mark = h.emu.requests().length;
  const unscanned = await h.sync({ categoryId: 999, adoption: "off" });
  assert.equal(unscanned.outcome, "failed");
  assert.deepEqual(
    unscanned.failures.map((f) => f.reason),
    ['category 999 was not found on site "forum" (or the API user cannot see it)'],
  );
  assert.equal(
    h.emu
      .requests()
      .slice(mark)
      .filter((r) => r.route === "POST /posts.json").length,
    1,
  );
  const { syncFeed } = await import("../../src/sync/run-sync.ts");
  const down = await syncFeed(
    h.feed(),
    { ...h.site, baseUrl: "http://127.0.0.1:1" },
    { redis: h.redis, clientOptions: { backoffMs: 1 } },
  );
  assert.equal(down.outcome, "failed");
  assert.match(down.failures[0]!.reason, /no answer/);
});

test("a wrong API key fails the run early with a clear reason and no key in it", async () => {
  h.writeFeed(numberedEvents(3));
  const { syncFeed } = await import("../../src/sync/run-sync.ts");
  const r = await syncFeed(h.feed(), { ...h.site, apiKey: "wrong-key-123" }, { redis: h.redis });
  assert.equal(r.outcome, "failed");
  assert.match(r.failures[0]!.reason, /403|not permitted|invalid/i);
  assert.ok(!JSON.stringify(r).includes("wrong-key-123"));
});

test("the title sent is the title Discourse stores, so it never looks changed", async () => {
  const start = hoursFromNow(60);
  h.writeFeed([
    { uid: "caps@x", summary: "BIG NEWS!!!  ", start },
    { uid: "dots@x", summary: "tiny...", start },
    { uid: "emoji@x", summary: "party 🎉🎉 :tada: time.", start },
  ]);
  const planned = await h.sync({}, { dryRun: true });
  await h.sync();
  const stored = new Map(h.eventTopics().map((t) => [t.externalId, t.title]));
  for (const a of planned.plan!) assert.equal(stored.get(a.externalId), a.title, a.summary);
});
