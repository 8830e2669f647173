/** TZIDs of every kind, floating times, DST gaps and overlaps. Runs under several host zones. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { offsetAt } from "../../src/ics/zones.ts";
import { byKey, calendar, parse, timed, vevent } from "./helpers.ts";

const EU_VTIMEZONE = (tzid: string): string[] => [
  "BEGIN:VTIMEZONE",
  `TZID:${tzid}`,
  "BEGIN:STANDARD",
  "DTSTART:16011028T030000",
  "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
  "TZOFFSETFROM:+0200",
  "TZOFFSETTO:+0100",
  "END:STANDARD",
  "BEGIN:DAYLIGHT",
  "DTSTART:16010325T020000",
  "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
  "TZOFFSETFROM:+0100",
  "TZOFFSETTO:+0200",
  "END:DAYLIGHT",
  "END:VTIMEZONE",
];

const US_EASTERN_VTIMEZONE = (tzid: string): string[] => [
  "BEGIN:VTIMEZONE",
  `TZID:${tzid}`,
  "BEGIN:STANDARD",
  "DTSTART:16011104T020000",
  "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
  "TZOFFSETFROM:-0400",
  "TZOFFSETTO:-0500",
  "END:STANDARD",
  "BEGIN:DAYLIGHT",
  "DTSTART:16010311T020000",
  "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
  "TZOFFSETFROM:-0500",
  "TZOFFSETTO:-0400",
  "END:DAYLIGHT",
  "END:VTIMEZONE",
];

describe("TZID forms map to IANA zones", () => {
  test("IANA names in any case, quoted TZIDs, Windows names and /prefixed/ names", () => {
    const feed = parse(
      calendar(
        ...vevent("UID:iana", "DTSTART;TZID=Europe/Berlin:20260715T100000"),
        ...vevent("UID:lower", "DTSTART;TZID=europe/lisbon:20260715T100000"),
        ...vevent("UID:quoted", 'DTSTART;TZID="W. Europe Standard Time":20260715T100000'),
        ...vevent("UID:windows", "DTSTART;TZID=Eastern Standard Time:20260715T100000"),
        ...vevent("UID:mozilla", "DTSTART;TZID=/mozilla.org/20070129_1/Europe/Berlin:20260715T100000"),
        ...vevent(
          "UID:evolution",
          "DTSTART;TZID=/freeassociation.sourceforge.net/Tzfile/Europe/Vienna:20260715T100000",
        ),
        ...vevent("UID:link", "DTSTART;TZID=US/Central:20260715T100000"),
      ),
    );
    const e = byKey(feed);
    assert.deepEqual(feed.problems, []);
    assert.deepEqual(timed(e.get("iana")), {
      kind: "timed",
      start: "2026-07-15T08:00:00.000Z",
      end: "2026-07-15T08:00:00.000Z",
      timezone: "Europe/Berlin",
    });
    assert.equal(timed(e.get("lower")).timezone, "Europe/Lisbon");
    assert.equal(timed(e.get("lower")).start, "2026-07-15T09:00:00.000Z");
    assert.equal(timed(e.get("quoted")).timezone, "Europe/Berlin");
    assert.equal(timed(e.get("windows")).timezone, "America/New_York");
    assert.equal(timed(e.get("windows")).start, "2026-07-15T14:00:00.000Z");
    assert.equal(timed(e.get("mozilla")).timezone, "Europe/Berlin");
    assert.equal(timed(e.get("evolution")).timezone, "Europe/Vienna");
    assert.equal(timed(e.get("link")).start, "2026-07-15T15:00:00.000Z");
  });

  test("Outlook/Exchange custom TZIDs are read through their VTIMEZONE rules", () => {
    const feed = parse(
      calendar(
        ...EU_VTIMEZONE("Customized Time Zone"),
        ...US_EASTERN_VTIMEZONE("tzone://Microsoft/Custom"),
        ...vevent("UID:custom-winter", "DTSTART;TZID=Customized Time Zone:20260115T100000"),
        ...vevent("UID:custom-summer", "DTSTART;TZID=Customized Time Zone:20260715T100000"),
        ...vevent("UID:tzone", 'DTSTART;TZID="tzone://Microsoft/Custom":20260310T100000'),
      ),
    );
    assert.deepEqual(feed.problems, []);
    const e = byKey(feed);
    assert.equal(timed(e.get("custom-winter")).start, "2026-01-15T09:00:00.000Z");
    assert.equal(timed(e.get("custom-summer")).start, "2026-07-15T08:00:00.000Z");
    // 2026-03-10 is after the US change (2nd Sunday of March) but before the EU one: only US rules give -4.
    assert.equal(timed(e.get("tzone")).start, "2026-03-10T14:00:00.000Z");
    const zone = timed(e.get("tzone")).timezone;
    assert.equal(offsetAt(Date.parse("2026-03-10T14:00:00Z"), zone), -4 * 3_600_000);
  });

  test("a VTIMEZONE's own name hint is preferred among zones with the same rules", () => {
    const feed = parse(
      calendar(
        ...US_EASTERN_VTIMEZONE("(UTC-05:00) Eastern Time (US & Canada)"),
        ...vevent("UID:a", 'DTSTART;TZID="(UTC-05:00) Eastern Time (US & Canada)":20260115T100000'),
      ),
    );
    assert.equal(timed(feed.events[0]).start, "2026-01-15T15:00:00.000Z");
    assert.equal(
      offsetAt(Date.parse("2026-07-01T00:00:00Z"), timed(feed.events[0]).timezone),
      -4 * 3_600_000,
    );
  });

  test("Windows display names with a VTIMEZONE get the zone the name means, not just one with equal rules", () => {
    const pacific = US_EASTERN_VTIMEZONE("(UTC-08:00) Pacific Time (US & Canada)").map((l) =>
      l.replace("-0400", "-0700").replace("-0500", "-0800"),
    );
    const feed = parse(
      calendar(
        ...pacific,
        ...vevent("UID:a", 'DTSTART;TZID="(UTC-08:00) Pacific Time (US & Canada)":20260115T100000'),
      ),
    );
    assert.equal(timed(feed.events[0]).timezone, "America/Los_Angeles");
    assert.equal(timed(feed.events[0]).start, "2026-01-15T18:00:00.000Z");
  });

  test("an unknown zone is an error for that event, naming the zone, never a silent UTC", () => {
    const feed = parse(
      calendar(
        ...vevent("UID:mars", "DTSTART;TZID=Mars/Olympus_Mons:20260715T100000", "SUMMARY:Rover"),
        ...vevent("UID:custom", "DTSTART;TZID=Customized Time Zone:20260715T100000"),
        ...vevent("UID:offset-only", 'DTSTART;TZID="(UTC-05:00) Eastern Time (US & Canada)":20260715T100000'),
        ...vevent("UID:fine", "DTSTART;TZID=Asia/Tokyo:20260715T100000"),
      ),
    );
    assert.deepEqual(
      feed.events.map((e) => e.uid),
      ["fine"],
    );
    const problems = new Map(feed.problems.map((p) => [p.uid, p]));
    for (const uid of ["mars", "custom", "offset-only"])
      assert.equal(problems.get(uid)?.code, "unknown-timezone");
    assert.match(
      problems.get("mars")!.message,
      /"Mars\/Olympus_Mons" is neither an IANA zone nor a Windows zone name/,
    );
  });
});

describe("floating times", () => {
  const floating = (...extra: string[]): string =>
    calendar(...extra, ...vevent("UID:f", "DTSTART:20260715T190000", "DTEND:20260715T210000"));

  test("read in X-WR-TIMEZONE when the feed has one", () => {
    const t = timed(
      parse(floating("X-WR-TIMEZONE:America/Chicago"), { defaultTimezone: "Asia/Tokyo" }).events[0],
    );
    assert.equal(t.start, "2026-07-16T00:00:00.000Z");
    assert.equal(t.timezone, "America/Chicago");
  });

  test("read in the configured zone otherwise, UTC by default", () => {
    const tokyo = timed(parse(floating(), { defaultTimezone: "Asia/Tokyo" }).events[0]);
    assert.equal(tokyo.start, "2026-07-15T10:00:00.000Z");
    assert.equal(tokyo.timezone, "Asia/Tokyo");
    const utc = timed(parse(floating()).events[0]);
    assert.equal(utc.start, "2026-07-15T19:00:00.000Z");
  });

  test("Z times keep their instant and take X-WR-TIMEZONE as the display zone", () => {
    const feed = parse(
      calendar("X-WR-TIMEZONE:Europe/Paris", ...vevent("UID:z", "DTSTART:20260715T190000Z")),
    );
    assert.deepEqual(timed(feed.events[0]), {
      kind: "timed",
      start: "2026-07-15T19:00:00.000Z",
      end: "2026-07-15T19:00:00.000Z",
      timezone: "Europe/Paris",
    });
  });

  test("a floating DTEND next to a zoned DTSTART is read in DTSTART's zone", () => {
    const feed = parse(
      calendar(...vevent("UID:a", "DTSTART;TZID=America/New_York:20260715T100000", "DTEND:20260715T110000")),
    );
    assert.equal(timed(feed.events[0]).end, "2026-07-15T15:00:00.000Z");
  });
});

describe("DST gaps and overlaps (RFC 5545 3.3.5)", () => {
  test("a time skipped by spring-forward is read with the offset before the gap", () => {
    // 02:30 does not exist in Berlin on 2026-03-29; it means 02:30 CET = 01:30Z (03:30 CEST).
    const feed = parse(calendar(...vevent("UID:gap", "DTSTART;TZID=Europe/Berlin:20260329T023000")));
    assert.equal(timed(feed.events[0]).start, "2026-03-29T01:30:00.000Z");
  });

  test("a time that occurs twice at fall-back is its first occurrence", () => {
    // 02:30 happens twice in Berlin on 2026-10-25: first at CEST (00:30Z), again at CET (01:30Z).
    const feed = parse(calendar(...vevent("UID:fold", "DTSTART;TZID=Europe/Berlin:20261025T023000")));
    assert.equal(timed(feed.events[0]).start, "2026-10-25T00:30:00.000Z");
    const ny = parse(calendar(...vevent("UID:fold", "DTSTART;TZID=America/New_York:20261101T013000")));
    assert.equal(timed(ny.events[0]).start, "2026-11-01T05:30:00.000Z");
  });

  test("a weekly series keeps its wall-clock time across DST, including a fold", () => {
    const feed = parse(
      calendar(
        ...vevent(
          "UID:w",
          "DTSTART;TZID=America/New_York:20261018T013000",
          "DTEND;TZID=America/New_York:20261018T023000",
          "RRULE:FREQ=WEEKLY;COUNT=4",
        ),
      ),
    );
    assert.deepEqual(
      feed.events.map((e) => timed(e).start),
      [
        "2026-10-18T05:30:00.000Z", // EDT
        "2026-10-25T05:30:00.000Z", // EDT
        "2026-11-01T05:30:00.000Z", // 01:30 occurs twice: the first (EDT)
        "2026-11-08T06:30:00.000Z", // EST
      ],
    );
    assert.ok(feed.events.every((e) => timed(e).timezone === "America/New_York"));
  });

  test("a daily series east of UTC across the southern-hemisphere change", () => {
    // Auckland leaves daylight time on 2026-04-05 (03:00 NZDT -> 02:00 NZST).
    const feed = parse(
      calendar(
        ...vevent("UID:nz", "DTSTART;TZID=Pacific/Auckland:20260404T090000", "RRULE:FREQ=DAILY;COUNT=2"),
      ),
    );
    assert.deepEqual(
      feed.events.map((e) => timed(e).start),
      ["2026-04-03T20:00:00.000Z", "2026-04-04T21:00:00.000Z"],
    );
  });
});
