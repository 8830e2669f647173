/** The bundled sample feed reads as documented (the demo and other areas' tests rely on it). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { allDay, byKey, parse, timed } from "./helpers.ts";

const sample = readFileSync(new URL("../../samples/community-events.ics", import.meta.url));
const window = { from: new Date("2026-11-01T00:00:00Z"), to: new Date("2027-04-01T00:00:00Z") };

test("the sample feed imports without problems: 11 single events and 21 study-group instances", () => {
  const feed = parse(sample, { window });
  assert.deepEqual(feed.problems, []);
  assert.equal(feed.calendarName, "Community Events (sample)");
  assert.equal(feed.calendarTimezone, "Europe/Berlin");
  assert.equal(feed.events.filter((e) => e.uid === "study-group@community.example.org").length, 21);
  assert.equal(feed.events.length, 32);
});

test("the sample's special cases come out as intended", () => {
  const e = byKey(parse(sample, { window }));
  const meetup = e.get("open-source-meetup-2026-12@community.example.org")!;
  assert.deepEqual(timed(meetup), {
    kind: "timed",
    start: "2026-12-03T17:30:00.000Z",
    end: "2026-12-03T20:00:00.000Z",
    timezone: "Europe/Berlin",
  });
  assert.equal(meetup.location, "Makerspace, Hauptstraße 12, 10827 Berlin");
  assert.deepEqual(meetup.geo, { lat: 52.4871, lon: 13.3539 });
  assert.equal(meetup.organizerName, "Community Team");

  assert.deepEqual(allDay(e.get("winter-hackathon-2027@community.example.org")), {
    kind: "allDay",
    startDate: "2027-01-15",
    endDate: "2027-01-18",
  });

  const moved = e.get("study-group@community.example.org@2026-12-22T18:00:00.000Z")!;
  assert.equal(timed(moved).start, "2026-12-21T18:00:00.000Z");
  assert.equal(e.has("study-group@community.example.org@2026-12-29T18:00:00.000Z"), false, "EXDATE");
  assert.equal(e.get("study-group@community.example.org@2027-01-05T18:00:00.000Z")!.status, "cancelled");
  assert.equal(e.get("board-game-night-2026-12@community.example.org")!.status, "cancelled");
  assert.equal(e.get("planning-call-2027@community.example.org")!.status, "tentative");

  const hostile = e.get("hostile-text@community.example.org")!;
  assert.equal(hostile.summary, "**Party** [/event] <script>alert('x')</script> @here");
  assert.match(hostile.description, /@everyone/);
  assert.equal(hostile.url, undefined);
  assert.equal(hostile.organizerName, undefined);

  assert.match(e.get("talk-accessible-web@community.example.org")!.description, /accessibility/);
  assert.equal(timed(e.get("repair-cafe-2027-01@community.example.org")).end, "2027-01-23T13:00:00.000Z");
  assert.equal(timed(e.get("year-end-social-nyc@community.example.org")).timezone, "America/New_York");
});
