import { test } from "node:test";
import assert from "node:assert/strict";
import type { CalendarEvent } from "../../src/core/event.ts";
import type { ImportedEventRecord } from "../../src/core/imported-event.ts";
import { externalIdFor } from "../../src/sync/identity.ts";
import { planSync, renderFor, summarizePlan, type PlanInput } from "../../src/sync/planner.ts";
import { allDayEvent, feed, site, timedEvent } from "./fixtures.ts";

const window = { from: new Date("2026-01-01T00:00:00Z"), to: new Date("2026-12-31T00:00:00Z") };

function recordFor(event: CalendarEvent, over: Partial<ImportedEventRecord> = {}): ImportedEventRecord {
  return {
    feedId: "community",
    siteId: "forum",
    eventKey: event.key,
    externalId: externalIdFor("forum", "community", event.key),
    topicId: 10,
    postId: 20,
    categoryId: 3,
    renderHash: renderFor(event, site(), feed()).hash,
    revision: 1,
    event,
    state: "active",
    updatedAt: "2026-01-01T00:00:00Z",
    ...over,
  };
}

function plan(over: Partial<PlanInput>) {
  const now = new Date("2026-02-01T00:00:00Z");
  return planSync({ site: site(), feed: feed(), events: [], records: [], window, now, ...over });
}

function numbered(n: number): CalendarEvent[] {
  return Array.from({ length: n }, (_, i) =>
    timedEvent({ key: `e${i}`, uid: `e${i}`, summary: `Event number ${i}` }),
  );
}

test("a new event is created with a rendered title and normalised feed tags", () => {
  const [a] = plan({ events: [timedEvent()] });
  assert.equal(a!.kind, "create");
  assert.equal(a!.title, "Community meetup (Sun 29 Mar 2026)");
  assert.deepEqual(a!.tags, ["events", "community"]);
  assert.equal(a!.externalId, externalIdFor("forum", "community", "evt-1@example.org"));
});

test("an unchanged event costs nothing; volatile fields do not count as changes", () => {
  const event = timedEvent();
  const [a] = plan({
    events: [{ ...event, lastModified: "2026-05-05T00:00:00Z" }],
    records: [recordFor(event)],
  });
  assert.equal(a!.kind, "unchanged");
});

test("changes: quiet when only details changed, bumped when time or place changed", () => {
  const event = timedEvent();
  const [quiet] = plan({ events: [{ ...event, description: "New text" }], records: [recordFor(event)] });
  assert.equal(quiet!.kind, "update");
  assert.equal(quiet!.quiet, true);
  const [moved] = plan({ events: [{ ...event, location: "Library" }], records: [recordFor(event)] });
  assert.equal(moved!.quiet, false);
  assert.match(moved!.reason, /time or place/);
  const later = { ...event, time: { ...event.time, start: "2026-03-29T09:00:00.000Z" } } as CalendarEvent;
  assert.equal(plan({ events: [later], records: [recordFor(event)] })[0]!.quiet, false);
});

test("cancellation: cancel once, then unchanged; un-cancelled events are restored", () => {
  const event = timedEvent();
  const cancelled = { ...event, status: "cancelled" as const };
  assert.equal(plan({ events: [cancelled], records: [recordFor(event)] })[0]!.kind, "cancel");
  const after = recordFor(cancelled, { state: "cancelled" });
  assert.equal(plan({ events: [cancelled], records: [after] })[0]!.kind, "unchanged");
  const edited = { ...cancelled, description: "Sorry!" };
  assert.equal(plan({ events: [edited], records: [after] })[0]!.kind, "update");
  const back = plan({ events: [event], records: [after] })[0]!;
  assert.equal(back.kind, "update");
  assert.equal(back.restore, true);
  const [never] = plan({ events: [cancelled] });
  assert.equal(never!.kind, "skip");
  assert.match(never!.reason, /before it was ever imported/);
});

test("vanished events follow the removal policy; those outside the window are left alone", () => {
  const events = numbered(4);
  const records = events.map((e) => recordFor(e));
  const gone = plan({ events: events.slice(1), records, feed: feed({ removed: "archive" }) });
  const removal = gone.find((a) => a.kind === "remove")!;
  assert.equal(removal.eventKey, "e0");
  assert.equal(removal.removal, "archive");
  const old = recordFor(
    timedEvent({
      key: "old",
      uid: "old",
      time: { kind: "timed", start: "2025-01-01T10:00:00Z", end: "2025-01-01T11:00:00Z", timezone: "UTC" },
    }),
  );
  const kept = plan({ events: events.slice(1), records: [...records, old] });
  assert.ok(!kept.some((a) => a.eventKey === "old"));
  const past = recordFor(
    timedEvent({
      key: "past",
      uid: "past",
      time: { kind: "timed", start: "2026-01-10T10:00:00Z", end: "2026-01-10T11:00:00Z", timezone: "UTC" },
    }),
  );
  const pruned = plan({ events: events.slice(1), records: [...records, past] });
  assert.ok(
    !pruned.some((a) => a.eventKey === "past"),
    "an event that is over and dropped by the feed stays",
  );
  const removedBefore = recordFor(events[0]!, { state: "removed" });
  const again = plan({ events: events.slice(1), records: [removedBefore, ...records.slice(1)] });
  assert.ok(!again.some((a) => a.kind === "remove"), "a removed record is not removed twice");
  const back = plan({ events, records: [removedBefore, ...records.slice(1)] }).find(
    (a) => a.eventKey === "e0",
  )!;
  assert.equal(back.kind, "update");
  assert.equal(back.restore, true);
});

test("mass removal is refused unless allowed", () => {
  const events = numbered(10);
  const records = events.map((e) => recordFor(e));
  const empty = plan({ events: [], records });
  assert.equal(summarizePlan(empty).remove, 0);
  assert.equal(summarizePlan(empty).skip, 10);
  assert.match(empty[0]!.reason, /allowMassRemoval/);
  const most = plan({ events: events.slice(0, 3), records });
  assert.equal(summarizePlan(most).remove, 0);
  const few = plan({ events: events.slice(0, 8), records });
  assert.equal(summarizePlan(few).remove, 2);
  const allowed = plan({ events: [], records, feed: feed({ allowMassRemoval: true }) });
  assert.equal(summarizePlan(allowed).remove, 10);
  const single = plan({ events: [], records: records.slice(0, 1) });
  assert.equal(summarizePlan(single).remove, 0, "an empty feed never removes, even one event");
});

test("an event listed twice is skipped the second time", () => {
  const actions = plan({ events: [timedEvent(), timedEvent({ summary: "Copy" })] });
  assert.deepEqual(
    actions.map((a) => a.kind),
    ["create", "skip"],
  );
});

const legacyRaw = (uidHash: string, start: string, end: string, location = "Town hall, Room 2") =>
  `<!-- ICSUID:${uidHash} -->\n[event start="${start}" end="${end}" status="public" name="Community meetup" location="${location}" timezone="Europe/Berlin"]\n[/event]\n\nBring a friend.`;

test("adoption: our marker, the Python importer's marker or tag, then time and place", async () => {
  const { legacyUidHash, legacyUidTag } = await import("../../src/sync/identity.ts");
  const event = timedEvent();
  const ext = externalIdFor("forum", "community", event.key);
  const ours = { topicId: 1, postId: 11, title: "x", raw: renderFor(event, site(), feed()).block };
  const python = {
    topicId: 2,
    postId: 12,
    title: "y",
    raw: legacyRaw(legacyUidHash(event.uid), "2026-03-29 10:00", "2026-03-29 12:00"),
  };
  const tagged = { topicId: 3, postId: 13, title: "z", raw: "no marker", tags: [legacyUidTag(event.uid)] };
  const human = {
    topicId: 4,
    postId: 14,
    title: "w",
    raw: '[event start="2026-03-29 10:00" end="2026-03-29 12:00" timezone="Europe/Berlin" location="town hall room 2"]\n[/event]',
  };
  const byMarker = plan({ events: [event], candidates: [human, python, ours] })[0]!;
  assert.equal(byMarker.kind, "adopt");
  assert.equal(byMarker.candidate!.topicId, 1);
  assert.equal(byMarker.externalId, ext);
  assert.equal(plan({ events: [event], candidates: [human, python] })[0]!.candidate!.topicId, 2);
  assert.equal(plan({ events: [event], candidates: [tagged] })[0]!.candidate!.match, "legacy");
  const byPlace = plan({ events: [event], candidates: [human] })[0]!;
  assert.equal(byPlace.candidate!.match, "time-and-location");
  assert.equal(
    plan({ events: [event], candidates: [human], feed: feed({ adoption: "off" }) })[0]!.kind,
    "create",
  );
  const elsewhere = { ...human, raw: human.raw.replace("town hall room 2", "Pub") };
  assert.equal(plan({ events: [event], candidates: [elsewhere] })[0]!.kind, "create");
  assert.equal(
    plan({ events: [event], candidates: [elsewhere], feed: feed({ adoption: "time-only" }) })[0]!.candidate!
      .match,
    "time-only",
  );
  const otherTime = { ...human, raw: human.raw.replace("10:00", "11:00") };
  assert.equal(plan({ events: [event], candidates: [otherTime] })[0]!.kind, "create");
  const othersMarker = {
    ...ours,
    raw: renderFor(timedEvent({ key: "other", uid: "other" }), site(), feed()).block,
  };
  assert.equal(
    plan({ events: [event], candidates: [othersMarker], feed: feed({ adoption: "time-only" }) })[0]!.kind,
    "create",
    "another event's topic is never taken",
  );
});

test("adoption: [date] BBCode, all-day events, and one topic is adopted only once", () => {
  const event = timedEvent();
  const dated = {
    topicId: 5,
    postId: 15,
    title: "d",
    raw: 'Meetup [date=2026-03-29 time=10:00:00 timezone="Europe/Berlin"] → [date=2026-03-29 time=12:00:00 timezone="Europe/Berlin"]',
  };
  assert.equal(
    plan({ events: [event], candidates: [dated], feed: feed({ adoption: "time-only" }) })[0]!.kind,
    "adopt",
  );
  const day = allDayEvent({ location: "Park" });
  const human = {
    topicId: 6,
    postId: 16,
    title: "f",
    raw: '[event start="2026-04-10" end="2026-04-11" allDay="true" location="Park"]\n[/event]',
  };
  assert.equal(plan({ events: [day], candidates: [human] })[0]!.kind, "adopt");
  const twin = { ...event, key: "twin", uid: "twin" };
  const human2 = {
    topicId: 7,
    postId: 17,
    title: "t",
    raw: '[event start="2026-03-29 10:00" end="2026-03-29 12:00" timezone="Europe/Berlin" location="Town hall, Room 2"]\n[/event]',
  };
  const kinds = plan({ events: [event, twin], candidates: [human2] }).map((a) => a.kind);
  assert.deepEqual(kinds, ["adopt", "create"]);
});

test("a series shares a UID: the Python importer's topic is adopted by the occurrence at its time", async () => {
  const { legacyUidHash } = await import("../../src/sync/identity.ts");
  const occ = (day: string) =>
    timedEvent({
      key: `series@${day}`,
      uid: "series",
      recurrenceId: `${day}T08:00:00.000Z`,
      time: {
        kind: "timed",
        start: `${day}T08:00:00.000Z`,
        end: `${day}T10:00:00.000Z`,
        timezone: "Europe/Berlin",
      },
    });
  const python = {
    topicId: 9,
    postId: 19,
    title: "s",
    raw: legacyRaw(legacyUidHash("series"), "2026-04-07 10:00", "2026-04-07 12:00"),
  };
  const kinds = plan({ events: [occ("2026-03-31"), occ("2026-04-07")], candidates: [python] }).map(
    (a) => `${a.kind}:${a.candidate?.topicId ?? ""}`,
  );
  assert.deepEqual(kinds, ["create:", "adopt:9"]);
});
