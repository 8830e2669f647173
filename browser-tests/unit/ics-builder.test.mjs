import ICAL from "ical.js";
import { afterEach, describe, expect, test } from "vitest";
import {
  buildIcs,
  icsFileName,
} from "../../javascripts/discourse/lib/ics-builder";
import ical from "../../javascripts/vendor/ical-generator.js";
import { summarize } from "../support/parse-ics.mjs";

const NOW = new Date("2026-01-15T12:00:00Z");
const TOPIC_URL = "https://forum.example.org/t/board-meeting/123";
const linkLine = (url) => `Details: ${url}`;

function timedEvent(overrides = {}) {
  return {
    source: "worker",
    uid: "abc-123@feeds.example.org",
    title: "Board meeting",
    allDay: false,
    start: "2026-03-10T08:00:00.000Z",
    end: "2026-03-10T09:30:00.000Z",
    timezone: "Europe/Berlin",
    location: "Room 4",
    url: "https://example.org/meeting",
    description: "Quarterly numbers",
    status: "tentative",
    sequence: 3,
    rrule: null,
    ...overrides,
  };
}

function build(event, options = {}) {
  return buildIcs(ical, event, {
    topicUrl: TOPIC_URL,
    linkLine,
    now: NOW,
    ...options,
  });
}

function only(icsText, window) {
  const events = summarize(icsText, window);
  expect(events).toHaveLength(1);
  return events[0];
}

/** Occurrences computed by ical.js from the file's own VTIMEZONE (not a time zone database). */
function occurrencesFromOwnVtimezone(icsText, count) {
  const calendar = new ICAL.Component(ICAL.parse(icsText));
  const vtimezone = calendar.getFirstSubcomponent("vtimezone");
  const zone = new ICAL.Timezone(vtimezone);
  const vevent = calendar.getFirstSubcomponent("vevent");
  const start = vevent.getFirstPropertyValue("dtstart");
  start.zone = zone;
  const rule = vevent.getFirstPropertyValue("rrule");
  const iterator = rule.iterator(start);
  const result = [];
  for (
    let next = iterator.next();
    next && result.length < count;
    next = iterator.next()
  ) {
    next.zone = zone;
    result.push(next.toJSDate().toISOString());
  }
  return result;
}

describe("buildIcs", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  test("writes a single timed event in UTC with everything the source had", () => {
    const event = timedEvent();
    const parsed = only(build(event));
    expect(parsed).toMatchObject({
      uid: event.uid,
      summary: "Board meeting",
      location: "Room 4",
      url: TOPIC_URL,
      status: "TENTATIVE",
      sequence: 3,
      start: event.start,
      end: event.end,
      dateOnly: false,
      rrule: null,
    });
    expect(parsed.description).toBe(
      `Quarterly numbers\n\nDetails: ${TOPIC_URL}`
    );
    expect(build(event)).toContain("DTSTART:20260310T080000Z");
  });

  test("writes all-day events as dates and keeps multi-day spans", () => {
    const text = build(
      timedEvent({
        allDay: true,
        start: "2026-07-10",
        end: "2026-07-13",
        timezone: null,
      })
    );
    expect(text).toContain("DTSTART;VALUE=DATE:20260710");
    expect(text).toContain("DTEND;VALUE=DATE:20260713");
    expect(only(text).dateOnly).toBe(true);
  });

  test("does not depend on the zone of the computer that builds the file", () => {
    const event = timedEvent({ rrule: "FREQ=WEEKLY;COUNT=4" });
    process.env.TZ = "Pacific/Auckland";
    const east = build(event);
    process.env.TZ = "America/Los_Angeles";
    const west = build(event);
    expect(east).toBe(west);
    expect(
      build(
        timedEvent({ allDay: true, start: "2026-07-10", end: "2026-07-11" })
      )
    ).toContain("DTSTART;VALUE=DATE:20260710");
  });

  test.each([
    // zone, first start (UTC), expected occurrences (UTC): wall-clock time kept across DST
    [
      "Europe/Berlin",
      "2026-03-18T17:00:00.000Z",
      [
        "2026-03-18T17:00:00.000Z",
        "2026-03-25T17:00:00.000Z",
        "2026-04-01T16:00:00.000Z",
      ],
    ],
    [
      "America/New_York",
      "2026-10-26T22:30:00.000Z",
      [
        "2026-10-26T22:30:00.000Z",
        "2026-11-02T23:30:00.000Z",
        "2026-11-09T23:30:00.000Z",
      ],
    ],
    [
      "Australia/Sydney",
      "2026-03-28T22:00:00.000Z",
      [
        "2026-03-28T22:00:00.000Z",
        "2026-04-04T23:00:00.000Z",
        "2026-04-11T23:00:00.000Z",
      ],
    ],
  ])(
    "repeats a weekly event in %s across a DST change",
    (zone, start, expected) => {
      const event = timedEvent({
        timezone: zone,
        start,
        end: new Date(Date.parse(start) + 3600000).toISOString(),
        rrule: "FREQ=WEEKLY;COUNT=3",
      });
      const text = build(event);
      expect(text).toContain(`DTSTART;TZID=${zone}:`);
      expect(text).toContain(`TZID:${zone}`);
      expect(occurrencesFromOwnVtimezone(text, 3)).toEqual(expected);
      const parsed = only(text, { from: "2026-01-01", to: "2027-01-01" });
      expect(parsed.occurrences).toEqual(expected);
    }
  );

  test("writes a zone without DST as one fixed observance", () => {
    const text = build(
      timedEvent({
        timezone: "Asia/Tokyo",
        start: "2026-03-18T01:00:00.000Z",
        end: "2026-03-18T02:00:00.000Z",
        rrule: "FREQ=DAILY;COUNT=2",
      })
    );
    expect(text).toContain("DTSTART;TZID=Asia/Tokyo:20260318T100000");
    expect(text).toContain("TZOFFSETTO:+0900");
    expect(occurrencesFromOwnVtimezone(text, 2)).toEqual([
      "2026-03-18T01:00:00.000Z",
      "2026-03-19T01:00:00.000Z",
    ]);
  });

  test("keeps a UTC series in UTC", () => {
    const text = build(
      timedEvent({ timezone: null, rrule: "FREQ=DAILY;COUNT=2" })
    );
    expect(text).toContain("DTSTART:20260310T080000Z");
    expect(text).toContain("RRULE:FREQ=DAILY;COUNT=2");
    expect(text).not.toContain("VTIMEZONE");
  });

  test("adds a reminder only when asked", () => {
    expect(build(timedEvent())).not.toContain("BEGIN:VALARM");
    const text = build(timedEvent(), {
      reminderMinutes: 90,
      reminderText: "Soon",
    });
    expect(text).toContain("TRIGGER:-PT1H30M");
    expect(text).toContain("DESCRIPTION:Soon");
  });

  test("escapes hostile text so it round-trips as plain text", () => {
    const hostile =
      'Line one\nBEGIN:VEVENT;UID=evil, "quoted" \\ back\\slash\r\nEND:VCALENDAR ünïcødé 🎉'.repeat(
        3
      );
    const text = build(
      timedEvent({ title: hostile, location: hostile, description: hostile })
    );
    const parsed = only(text);
    const normalised = hostile.replace(/\r\n/g, "\n");
    expect(parsed.summary).toBe(normalised);
    expect(parsed.location).toBe(normalised);
    expect(
      text
        .split("\r\n")
        .every((line) => new TextEncoder().encode(line).length <= 75)
    ).toBe(true);
    expect(text.match(/^BEGIN:VEVENT/gm)).toHaveLength(1);
  });
});

describe("icsFileName", () => {
  test.each([
    ["Board meeting: Q3 / 2026", "board-meeting-q3-2026.ics"],
    ["Café Müller – Früh­stück", "cafe-muller-fruhstuck.ics"],
    ["../../etc/passwd", "etc-passwd.ics"],
    ["<script>", "script.ics"],
    ["日本語", "event.ics"],
    ["", "event.ics"],
    ["a".repeat(200), `${"a".repeat(60)}.ics`],
  ])("%s → %s", (title, expected) => {
    expect(icsFileName(title)).toBe(expected);
  });
});
