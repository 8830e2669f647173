import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { DateTime } from "luxon";
import { harnessPerFile, hoursFromNow, numberedEvents, type IcsEvent } from "./harness.ts";

const h = harnessPerFile({ calendarPlugin: true });

const SITE_TZ = "Europe/Berlin";
const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");

/** A topic exactly as ics_to_discourse.py writes it: marker, [event] in the site zone, description. */
function pythonTopic(e: IcsEvent, opts: { oldTag?: boolean; noMarker?: boolean } = {}) {
  const fmt = (d: Date) => DateTime.fromJSDate(d).setZone(SITE_TZ).toFormat("yyyy-MM-dd HH:mm");
  const start = e.start as Date;
  const end = (e.end as Date | undefined) ?? new Date(start.getTime() + 3_600_000);
  const marker = opts.noMarker ? "" : `<!-- ICSUID:${sha1(e.uid).slice(0, 16)} -->\n`;
  const raw = `${marker}[event start="${fmt(start)}" end="${fmt(end)}" status="public" name="${e.summary}" location="${e.location ?? ""}" timezone="${SITE_TZ}"]\n[/event]\n\n${e.description ?? ""}`;
  return h.emu.createTopicAs("system", {
    title: e.summary,
    raw,
    category: 3,
    ...(opts.oldTag ? { tags: ["ics-" + sha1(e.uid).slice(0, 10)] } : {}),
  });
}

test("topics made by the Python importer are adopted, never duplicated", async () => {
  const events = numberedEvents(6);
  const made = events.map((e, i) => pythonTopic(e, { oldTag: i % 2 === 0, noMarker: i === 4 }));
  // a person's note below the Python block must survive adoption
  h.writeFeed(events);
  const r = await h.sync();
  assert.equal(r.counts.created, 0, JSON.stringify(r));
  assert.equal(r.counts.adopted, 6);
  const topics = h.eventTopics();
  assert.equal(topics.length, 6);
  for (const [i, t] of made.entries()) {
    const now = topics.find((x) => x.id === t.id)!;
    const raw = now.posts[0]!.raw;
    assert.match(raw, /<!-- discourse-ics:begin /);
    assert.equal((raw.match(/\[event /g) ?? []).length, 1, "the old [event] block was replaced, not doubled");
    assert.match(raw, new RegExp(`Details of event ${i}\\.$`));
    assert.equal(now.title, t.title, "the title is left alone");
  }
  const again = await h.sync({}, { now: () => new Date() });
  assert.ok(again.outcome === "not-modified" || again.counts.unchanged === 6);
});

test("a topic a person made for the same time and place is adopted; time-only matching is an option", async () => {
  const [e] = numberedEvents(1);
  const start = DateTime.fromJSDate(e!.start as Date).setZone(SITE_TZ);
  const raw = `We are meeting again!\n\n[event start="${start.toFormat("yyyy-MM-dd HH:mm")}" end="${start.plus({ hours: 1 }).toFormat("yyyy-MM-dd HH:mm")}" timezone="${SITE_TZ}" location="room 0"]\n[/event]\n\nSee you.`;
  const human = h.emu.createTopicAs("alice", { title: "Our monthly get-together", raw, category: 3 });
  h.writeFeed([{ ...e!, location: "Room 0" }]);
  const r = await h.sync();
  assert.equal(r.counts.adopted, 1);
  const t = h.eventTopics().find((x) => x.id === human.id)!;
  assert.match(t.posts[0]!.raw, /^We are meeting again!/);
  assert.match(t.posts[0]!.raw, /See you\.$/);
  assert.equal(h.eventTopics().length, 1);

  h.emu.reset();
  await h.redis.flushall();
  const other = h.emu.createTopicAs("alice", {
    title: "Our monthly get-together",
    raw: raw.replace("room 0", "Pub"),
    category: 3,
  });
  assert.equal((await h.sync()).counts.created, 1, "another place: not the same event");
  h.emu.reset();
  await h.redis.flushall();
  h.emu.createTopicAs("alice", {
    title: "Our monthly get-together",
    raw: raw.replace("room 0", "Pub"),
    category: 3,
  });
  const timeOnly = await h.sync({ adoption: "time-only" });
  assert.equal(timeOnly.counts.adopted, 1);
  assert.ok(other.id > 0);
});

test("losing Redis never makes a second topic: topics are found again by their marker", async () => {
  h.writeFeed(numberedEvents(8));
  await h.sync();
  await h.redis.flushall();
  const requests = h.emu.counters().total;
  const r = await h.sync();
  assert.equal(r.counts.adopted, 8);
  assert.equal(r.counts.created, 0);
  assert.equal(h.eventTopics().length, 8);
  assert.equal(
    h.emu.counters().total - requests,
    10,
    "two list requests (with redirect) and one read per topic; no edits",
  );
});

test("a create refused as 'External has already been taken' adopts the existing topic", async () => {
  h.writeFeed(numberedEvents(3));
  await h.sync();
  await h.redis.flushall();
  // the category scan finds nothing (as when the topic sits beyond the scanned pages)
  const r = await h.sync({ adoption: "off" }, { dryRun: false, clientOptions: { backoffMs: 5 } });
  assert.equal(r.counts.created + r.counts.adopted, 3);
  assert.equal(h.eventTopics().length, 3);
  await h.redis.flushall();
  const { createDiscourseClient } = await import("../../src/discourse/client.ts");
  const { executeAction } = await import("../../src/sync/execute.ts");
  const { planSync } = await import("../../src/sync/planner.ts");
  const { parseFeed } = await import("../../src/ics/parse.ts");
  const { readFileSync } = await import("node:fs");
  const window = { from: hoursFromNow(-24), to: hoursFromNow(24 * 30) };
  const parsed = parseFeed(readFileSync(h.feedFile), { feedId: "community", window });
  // another title template, so Discourse's 120-second replay of identical creates does not answer
  const feed = h.feed({ titleTemplate: "{summary} on {date}" });
  const plan = planSync({ site: h.site, feed, events: parsed.events, records: [], window });
  const client = createDiscourseClient(h.site);
  const before = h.emu.requests().length;
  const result = await executeAction({ client, site: h.site, feed, now: () => new Date() }, plan[0]!);
  assert.equal(result.count, "adopted");
  assert.equal(result.record?.topicId, h.eventTopics()[0]!.id);
  const routes = h.emu
    .requests()
    .slice(before)
    .map((q) => `${q.route} ${q.status}`);
  assert.equal(routes[0], "POST /posts.json 422");
  assert.ok(
    routes.some((x) => x.startsWith("GET /t/external_id/")),
    routes.join(", "),
  );
});

test("with the calendar plugin: a series becomes one event topic per occurrence, a cancelled instance is marked", async () => {
  const start = hoursFromNow(48);
  const series: IcsEvent = {
    uid: "weekly@x",
    summary: "Weekly study group",
    start,
    location: "Library",
    rrule: "FREQ=WEEKLY;COUNT=4",
  };
  h.writeFeed([series]);
  const first = await h.sync({ cancelled: "close" });
  assert.equal(first.counts.created, 4);
  const topics = h.eventTopics();
  assert.ok(
    topics.every((t) =>
      /^\[event start="[^"]+" end="[^"]+" timezone="UTC" status="public" name="Weekly study group" location="Library"\]$/m.test(
        t.posts[0]!.raw,
      ),
    ),
  );
  assert.ok(topics.every((t) => t.posts[0]!.cooked.includes('class="discourse-post-event"')));
  const second = new Date(start.getTime() + 7 * 86_400_000);
  h.writeFeed([
    series,
    { ...series, rrule: undefined, recurrenceId: second, start: second, status: "CANCELLED" },
  ]);
  const r = await h.sync({ cancelled: "close" });
  assert.equal(r.counts.cancelled, 1);
  assert.equal(r.counts.unchanged, 3);
  const closed = h.eventTopics().filter((t) => t.closed);
  assert.equal(closed.length, 1);
  assert.match(closed[0]!.posts[0]!.raw, /This event has been cancelled/);
});

test("adoption edits the post as it is now, not as an earlier run remembered it", async () => {
  const [e] = numberedEvents(1);
  const start = DateTime.fromJSDate(e!.start as Date).setZone(SITE_TZ);
  const raw = `[event start="${start.toFormat("yyyy-MM-dd HH:mm")}" end="${start.plus({ hours: 1 }).toFormat("yyyy-MM-dd HH:mm")}" timezone="${SITE_TZ}" location="Room 0"]\n[/event]\n\nFirst words.`;
  const human = h.emu.createTopicAs("alice", { title: "Our monthly get-together", raw, category: 3 });
  // first run: another place, so the topic is read (and remembered) but not adopted
  h.writeFeed([{ ...e!, location: "Elsewhere" }]);
  assert.equal((await h.sync({ removed: "keep" })).counts.created, 1);
  // a moderator edits the person's post quietly: its list entry does not change
  const res = await fetch(`${h.emu.url}/posts/${human.posts[0]!.id}.json`, {
    method: "PUT",
    headers: { "Api-Key": h.emu.adminApiKey, "Api-Username": "mod", "Content-Type": "application/json" },
    body: JSON.stringify({ post: { raw: raw.replace("First words.", "Edited words.") }, bypass_bump: true }),
  });
  assert.equal(res.status, 200);
  // a second feed event at that time and place is adopted
  h.writeFeed([
    { ...e!, location: "Elsewhere" },
    { ...e!, uid: "second@x", location: "Room 0" },
  ]);
  const r = await h.sync({ removed: "keep" });
  assert.equal(r.counts.adopted, 1);
  const t = h.eventTopics().find((x) => x.id === human.id)!;
  assert.match(t.posts[0]!.raw, /Edited words\.$/);
});
