/** Series: EXDATE, RDATE, RECURRENCE-ID overrides (moved, cancelled, orphaned, THISANDFUTURE), caps. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { allDay, byKey, calendar, parse, timed, vevent } from "./helpers.ts";

const weekly = (...extra: string[]): string[] =>
  vevent(
    "UID:club",
    "SUMMARY:Club night",
    "DTSTART;TZID=Europe/Berlin:20260302T190000",
    "DTEND;TZID=Europe/Berlin:20260302T210000",
    "RRULE:FREQ=WEEKLY;COUNT=6",
    ...extra,
  );

describe("series", () => {
  test("occurrences are keyed uid@original-start (UTC instant) and carry the RRULE", () => {
    const feed = parse(calendar(...weekly()));
    assert.equal(feed.events.length, 6);
    const first = feed.events[0]!;
    assert.equal(first.key, "club@2026-03-02T18:00:00.000Z");
    assert.equal(first.recurrenceId, "2026-03-02T18:00:00.000Z");
    assert.equal(first.rrule, "FREQ=WEEKLY;COUNT=6");
    // Berlin changes to CEST on 2026-03-29: the 19:00 wall-clock time stays.
    assert.equal(timed(feed.events[4]).start, "2026-03-30T17:00:00.000Z");
    assert.equal(timed(feed.events[4]).end, "2026-03-30T19:00:00.000Z");
  });

  test("only occurrences inside the window are kept", () => {
    const feed = parse(calendar(...weekly()), {
      window: { from: new Date("2026-03-10T00:00:00Z"), to: new Date("2026-03-24T00:00:00Z") },
    });
    assert.deepEqual(
      feed.events.map((e) => e.recurrenceId),
      ["2026-03-16T18:00:00.000Z", "2026-03-23T18:00:00.000Z"],
    );
  });

  test("EXDATE removes instances, also as a comma-separated list and in another zone", () => {
    const feed = parse(
      calendar(
        ...weekly("EXDATE;TZID=Europe/Berlin:20260309T190000,20260316T190000", "EXDATE:20260323T180000Z"),
      ),
    );
    assert.deepEqual(
      feed.events.map((e) => e.recurrenceId),
      ["2026-03-02T18:00:00.000Z", "2026-03-30T17:00:00.000Z", "2026-04-06T17:00:00.000Z"],
    );
  });

  test("a date-only EXDATE east of UTC removes that local day's instance, not the UTC day's", () => {
    // 08:00 in Auckland is the previous day in UTC: keys built with toISOString() would miss it.
    const feed = parse(
      calendar(
        ...vevent(
          "UID:nz",
          "DTSTART;TZID=Pacific/Auckland:20260713T080000",
          "RRULE:FREQ=DAILY;COUNT=4",
          "EXDATE;VALUE=DATE:20260715",
        ),
      ),
    );
    assert.deepEqual(
      feed.events.map((e) => e.recurrenceId),
      ["2026-07-12T20:00:00.000Z", "2026-07-13T20:00:00.000Z", "2026-07-15T20:00:00.000Z"],
    );
  });

  test("all-day series: dates stay dates, EXDATE as date or as Outlook's midnight date-time", () => {
    const feed = parse(
      calendar(
        ...vevent(
          "UID:standup",
          "DTSTART;VALUE=DATE:20260130",
          "DTEND;VALUE=DATE:20260131",
          "RRULE:FREQ=DAILY;COUNT=5",
          "EXDATE;VALUE=DATE:20260131",
          "EXDATE;TZID=W. Europe Standard Time:20260202T000000",
        ),
      ),
    );
    assert.deepEqual(
      feed.events.map((e) => [e.key, allDay(e).startDate, allDay(e).endDate]),
      [
        ["standup@2026-01-30", "2026-01-30", "2026-01-31"],
        ["standup@2026-02-01", "2026-02-01", "2026-02-02"],
        ["standup@2026-02-03", "2026-02-03", "2026-02-04"],
      ],
    );
  });

  test("RDATE adds instances (date-time and PERIOD with its own end)", () => {
    const feed = parse(
      calendar(
        ...weekly("RDATE;TZID=Europe/Berlin:20260305T180000", "RDATE;VALUE=PERIOD:20260320T170000Z/PT4H"),
      ),
    );
    const e = byKey(feed);
    assert.equal(feed.events.length, 8);
    assert.equal(timed(e.get("club@2026-03-05T17:00:00.000Z")).end, "2026-03-05T19:00:00.000Z");
    assert.equal(timed(e.get("club@2026-03-20T17:00:00.000Z")).end, "2026-03-20T21:00:00.000Z");
  });

  test("DTSTART counts as the first instance even when the rule does not produce it", () => {
    const feed = parse(
      calendar(...vevent("UID:m", "DTSTART:20260304T100000Z", "RRULE:FREQ=MONTHLY;COUNT=2;BYMONTHDAY=7")),
    );
    assert.deepEqual(
      feed.events.map((e) => e.recurrenceId),
      ["2026-03-04T10:00:00.000Z", "2026-03-07T10:00:00.000Z", "2026-04-07T10:00:00.000Z"],
    );
  });
});

describe("RECURRENCE-ID overrides", () => {
  const moved = vevent(
    "UID:club",
    "RECURRENCE-ID;TZID=Europe/Berlin:20260309T190000",
    "DTSTART;TZID=Europe/Berlin:20260310T200000",
    "DTEND;TZID=Europe/Berlin:20260310T220000",
    "SUMMARY:Club night (moved to Tuesday)",
    "SEQUENCE:1",
  );

  test("a moved instance replaces its occurrence under the same key (Google: master + override, no EXDATE)", () => {
    for (const text of [calendar(...weekly(), ...moved), calendar(...moved, ...weekly())]) {
      const feed = parse(text);
      assert.equal(feed.events.length, 6, "no duplicate for the moved instance");
      const e = byKey(feed).get("club@2026-03-09T18:00:00.000Z")!;
      assert.equal(e.summary, "Club night (moved to Tuesday)");
      assert.equal(timed(e).start, "2026-03-10T19:00:00.000Z");
      assert.equal(e.recurrenceId, "2026-03-09T18:00:00.000Z");
    }
  });

  test("an instance moved into the window from outside it is kept, one moved out is dropped", () => {
    const window = { from: new Date("2026-03-10T00:00:00Z"), to: new Date("2026-03-15T00:00:00Z") };
    const feed = parse(calendar(...weekly(), ...moved), { window });
    assert.deepEqual(
      feed.events.map((e) => e.key),
      ["club@2026-03-09T18:00:00.000Z"],
    );
  });

  test("a cancelled instance stays as a cancelled event; a cancelled series cancels every instance", () => {
    const cancelled = vevent(
      "UID:club",
      "RECURRENCE-ID;TZID=Europe/Berlin:20260316T190000",
      "DTSTART;TZID=Europe/Berlin:20260316T190000",
      "STATUS:CANCELLED",
      "SUMMARY:Club night",
    );
    const feed = parse(calendar(...weekly(), ...cancelled));
    const statuses = feed.events.map((e) => [e.recurrenceId, e.status]);
    assert.deepEqual(
      statuses.filter(([, s]) => s === "cancelled"),
      [["2026-03-16T18:00:00.000Z", "cancelled"]],
    );
    const whole = parse(calendar(...weekly("STATUS:CANCELLED")));
    assert.ok(whole.events.length === 6 && whole.events.every((e) => e.status === "cancelled"));
  });

  test("an override whose series is not in the feed is kept on its own key", () => {
    const feed = parse(calendar(...moved));
    assert.deepEqual(
      feed.events.map((e) => [e.key, e.recurrenceId]),
      [["club@2026-03-09T18:00:00.000Z", "2026-03-09T18:00:00.000Z"]],
    );
  });

  test("RANGE=THISANDFUTURE moves this and every later instance", () => {
    const future = vevent(
      "UID:club",
      "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20260323T190000",
      "DTSTART;TZID=Europe/Berlin:20260323T200000",
      "DTEND;TZID=Europe/Berlin:20260323T230000",
      "SUMMARY:Club night (new time)",
    );
    const feed = parse(calendar(...weekly(), ...future));
    const rows = feed.events.map((e) => [e.recurrenceId, timed(e).start, timed(e).end, e.summary]);
    assert.deepEqual(rows.slice(3), [
      [
        "2026-03-23T18:00:00.000Z",
        "2026-03-23T19:00:00.000Z",
        "2026-03-23T22:00:00.000Z",
        "Club night (new time)",
      ],
      [
        "2026-03-30T17:00:00.000Z",
        "2026-03-30T18:00:00.000Z",
        "2026-03-30T21:00:00.000Z",
        "Club night (new time)",
      ],
      [
        "2026-04-06T17:00:00.000Z",
        "2026-04-06T18:00:00.000Z",
        "2026-04-06T21:00:00.000Z",
        "Club night (new time)",
      ],
    ]);
    assert.equal(rows[2]![3], "Club night");
  });

  test("an all-day series' instance moved by an override written as a midnight date-time (Exchange)", () => {
    const feed = parse(
      calendar(
        ...vevent("UID:o365", "DTSTART;VALUE=DATE:20260302", "RRULE:FREQ=WEEKLY;COUNT=3", "SUMMARY:Team day"),
        ...vevent(
          "UID:o365",
          "RECURRENCE-ID;TZID=W. Europe Standard Time:20260309T000000",
          "DTSTART;VALUE=DATE:20260311",
          "SUMMARY:Team day (moved)",
        ),
      ),
    );
    assert.deepEqual(
      feed.events.map((e) => [e.key, allDay(e).startDate, e.summary]),
      [
        ["o365@2026-03-02", "2026-03-02", "Team day"],
        ["o365@2026-03-09", "2026-03-11", "Team day (moved)"],
        ["o365@2026-03-16", "2026-03-16", "Team day"],
      ],
    );
  });

  test("of two overrides for the same instance the higher SEQUENCE wins", () => {
    const older = moved.map((l) =>
      l.startsWith("SEQUENCE") ? "SEQUENCE:0" : l.replace("(moved to Tuesday)", "(old)"),
    );
    const feed = parse(calendar(...weekly(), ...moved, ...older));
    assert.equal(byKey(feed).get("club@2026-03-09T18:00:00.000Z")!.summary, "Club night (moved to Tuesday)");
  });
});

describe("caps", () => {
  test("a series with more occurrences than the cap keeps the first ones and reports it", () => {
    const feed = parse(calendar(...vevent("UID:often", "DTSTART:20260101T000000Z", "RRULE:FREQ=MINUTELY")), {
      window: { from: new Date("2026-01-01T00:00:00Z"), to: new Date("2027-01-01T00:00:00Z") },
      maxOccurrencesPerSeries: 50,
    });
    assert.equal(feed.events.length, 50);
    assert.equal(timed(feed.events[49]).start, "2026-01-01T00:49:00.000Z");
    assert.deepEqual(
      feed.problems.map((p) => [p.uid, p.code]),
      [["often", "occurrence-cap"]],
    );
    assert.match(feed.problems[0]!.message, /more than 50 occurrences/);
  });

  test("a series repeating every second is refused with a reason, not silently empty", () => {
    const feed = parse(calendar(...vevent("UID:sec", "DTSTART:20200101T000000Z", "RRULE:FREQ=SECONDLY")));
    assert.equal(feed.events.length, 0);
    assert.deepEqual(
      feed.problems.map((p) => [p.uid, p.code]),
      [["sec", "invalid-rrule"]],
    );
    assert.match(feed.problems[0]!.message, /repeats every second/);
  });

  test("an open-ended series is bounded by the window", () => {
    const feed = parse(calendar(...vevent("UID:daily", "DTSTART;VALUE=DATE:20200101", "RRULE:FREQ=DAILY")), {
      window: { from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-03-08T00:00:00Z") },
    });
    assert.deepEqual(
      feed.events.map((e) => allDay(e).startDate),
      ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07"],
    );
  });
});
