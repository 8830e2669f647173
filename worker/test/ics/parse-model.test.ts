/** The event model: identity, text fields made safe, ends, window and caps. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { allDay, byKey, calendar, parse, timed, vevent } from "./helpers.ts";

describe("identity", () => {
  test("a single event's key is its UID", () => {
    const feed = parse(calendar(...vevent("UID:abc@example.org", "DTSTART:20260301T100000Z")));
    assert.equal(feed.events[0]!.key, "abc@example.org");
    assert.equal(feed.events[0]!.recurrenceId, undefined);
  });

  test("events without UID get a key from DTSTART+SUMMARY that survives edits elsewhere in the feed", () => {
    const a = vevent("DTSTART:20260301T100000Z", "SUMMARY:Open evening");
    const b = vevent("DTSTART:20260308T100000Z", "SUMMARY:Repair café");
    const c = vevent("DTSTART:20260315T100000Z", "SUMMARY:Newcomer");
    const first = parse(calendar(...a, ...b));
    const reordered = parse(calendar(...c, ...b, ...a));
    const keyOf = (feed: typeof first, summary: string): string =>
      feed.events.find((e) => e.summary === summary)!.key;
    assert.match(keyOf(first, "Open evening"), /^no-uid-[0-9a-f]{24}$/);
    assert.equal(keyOf(first, "Open evening"), keyOf(reordered, "Open evening"));
    assert.equal(keyOf(first, "Repair café"), keyOf(reordered, "Repair café"));
    assert.notEqual(keyOf(first, "Open evening"), keyOf(first, "Repair café"));
  });

  test("identical events without UID are numbered in file order rather than merged", () => {
    const e = vevent("DTSTART:20260301T100000Z", "SUMMARY:Same");
    const feed = parse(calendar(...e, ...e));
    const keys = feed.events.map((x) => x.key);
    assert.equal(new Set(keys).size, 2);
    assert.match(keys[1]!, /-2$/);
  });

  test("duplicate UIDs: the highest SEQUENCE wins, then the latest LAST-MODIFIED; the rest is reported", () => {
    const feed = parse(
      calendar(
        ...vevent("UID:dup", "SEQUENCE:2", "DTSTART:20260301T100000Z", "SUMMARY:v2"),
        ...vevent("UID:dup", "SEQUENCE:1", "DTSTART:20260301T100000Z", "SUMMARY:v1"),
        ...vevent("UID:lm", "DTSTART:20260301T100000Z", "LAST-MODIFIED:20260105T000000Z", "SUMMARY:newer"),
        ...vevent("UID:lm", "DTSTART:20260301T100000Z", "LAST-MODIFIED:20260101T000000Z", "SUMMARY:older"),
      ),
    );
    const events = byKey(feed);
    assert.equal(events.get("dup")!.summary, "v2");
    assert.equal(events.get("dup")!.sequence, 2);
    assert.equal(events.get("lm")!.summary, "newer");
    assert.equal(events.get("lm")!.lastModified, "2026-01-05T00:00:00.000Z");
    assert.deepEqual(
      feed.problems.map((p) => [p.uid, p.code]),
      [
        ["dup", "duplicate-uid"],
        ["lm", "duplicate-uid"],
      ],
    );
  });
});

describe("text fields", () => {
  test("escapes are undone and HTML in DESCRIPTION becomes plain text", () => {
    const feed = parse(
      calendar(
        ...vevent(
          "UID:a",
          "DTSTART:20260301T100000Z",
          "SUMMARY:Talk\\, Q&A\\; drinks",
          'DESCRIPTION:<p>Join us</p><br><a href="https://example.org/x">details</a><script>alert(1)</script>',
          "LOCATION:Hall 1\\nFloor 2",
        ),
      ),
    );
    const e = feed.events[0]!;
    assert.equal(e.summary, "Talk, Q&A; drinks");
    assert.match(e.description, /Join us/);
    assert.match(e.description, /details \[https:\/\/example\.org\/x\]/);
    assert.doesNotMatch(e.description, /<|alert/);
    assert.equal(e.location, "Hall 1 Floor 2");
  });

  test("X-ALT-DESC HTML is used when DESCRIPTION is empty", () => {
    const feed = parse(
      calendar(
        ...vevent(
          "UID:a",
          "DTSTART:20260301T100000Z",
          "DESCRIPTION:",
          "X-ALT-DESC;FMTTYPE=text/html:<html><body><b>Bring</b> a laptop</body></html>",
        ),
      ),
    );
    assert.equal(feed.events[0]!.description, "Bring a laptop");
  });

  test("hostile plain text is kept as text, not interpreted", () => {
    const text = "**bold** [/event] <script>x</script> @here @everyone";
    const feed = parse(calendar(...vevent("UID:a", "DTSTART:20260301T100000Z", `SUMMARY:${text}`)));
    // A summary is plain text: the renderer escapes it; ingestion must not silently alter it.
    assert.equal(feed.events[0]!.summary, text);
  });

  test("URL only when http(s); organizer name without e-mail addresses; categories; status", () => {
    const feed = parse(
      calendar(
        ...vevent(
          "UID:a",
          "DTSTART:20260301T100000Z",
          "URL:https://example.org/events/1",
          'ORGANIZER;CN="Ada Lovelace (ada@example.org)":mailto:ada@example.org',
          "CATEGORIES:Meetup,Tech",
          "CATEGORIES:Tech,Social",
          "STATUS:TENTATIVE",
        ),
        ...vevent(
          "UID:b",
          "DTSTART:20260301T100000Z",
          "URL:javascript:alert(1)",
          "ORGANIZER:mailto:x@example.org",
        ),
        ...vevent(
          "UID:c",
          "DTSTART:20260301T100000Z",
          "URL:/c/events/calendar",
          "ORGANIZER;CN=bob@example.org:mailto:bob@example.org",
        ),
      ),
    );
    const events = byKey(feed);
    const a = events.get("a")!;
    assert.equal(a.url, "https://example.org/events/1");
    assert.equal(a.organizerName, "Ada Lovelace");
    assert.deepEqual(a.categories, ["Meetup", "Tech", "Social"]);
    assert.equal(a.status, "tentative");
    assert.equal(events.get("b")!.url, undefined);
    assert.equal(events.get("b")!.organizerName, undefined);
    assert.equal(events.get("c")!.url, undefined);
    assert.equal(events.get("c")!.organizerName, undefined);
    assert.doesNotMatch(JSON.stringify(feed), /@example\.org\b(?!\/)/);
  });

  test("GEO is read as lat;lon and swapped back when written lon;lat", () => {
    const feed = parse(
      calendar(
        ...vevent("UID:a", "DTSTART:20260301T100000Z", "GEO:52.52;13.405"),
        ...vevent("UID:b", "DTSTART:20260301T100000Z", "GEO:-122.4194;37.7749"),
        ...vevent("UID:c", "DTSTART:20260301T100000Z", "GEO:north;east"),
      ),
    );
    const events = byKey(feed);
    assert.deepEqual(events.get("a")!.geo, { lat: 52.52, lon: 13.405 });
    assert.deepEqual(events.get("b")!.geo, { lat: 37.7749, lon: -122.4194 });
    assert.equal(events.get("c")!.geo, undefined);
  });
});

describe("ends", () => {
  test("DURATION becomes an end; a missing end follows RFC 5545 (date: one day, date-time: same instant)", () => {
    const feed = parse(
      calendar(
        ...vevent("UID:dur", "DTSTART:20260301T100000Z", "DURATION:PT1H30M"),
        ...vevent("UID:timed", "DTSTART:20260301T100000Z"),
        ...vevent("UID:day", "DTSTART;VALUE=DATE:20260301"),
        ...vevent("UID:week", "DTSTART;VALUE=DATE:20260301", "DURATION:P1W"),
      ),
    );
    const e = byKey(feed);
    assert.equal(timed(e.get("dur")).end, "2026-03-01T11:30:00.000Z");
    assert.equal(timed(e.get("timed")).end, "2026-03-01T10:00:00.000Z");
    assert.deepEqual(allDay(e.get("day")), {
      kind: "allDay",
      startDate: "2026-03-01",
      endDate: "2026-03-02",
    });
    assert.equal(allDay(e.get("week")).endDate, "2026-03-08");
  });

  test("a DURATION of days keeps the wall-clock time across a DST change", () => {
    const feed = parse(
      calendar(...vevent("UID:camp", "DTSTART;TZID=Europe/Berlin:20260327T180000", "DURATION:P3D")),
    );
    const t = timed(feed.events[0]);
    assert.equal(t.start, "2026-03-27T17:00:00.000Z"); // CET
    assert.equal(t.end, "2026-03-30T16:00:00.000Z"); // 18:00 CEST
  });

  test("all-day events keep their dates, multi-day spans and month ends; DTEND is exclusive", () => {
    const feed = parse(
      calendar(
        ...vevent("UID:span", "DTSTART;VALUE=DATE:20260130", "DTEND;VALUE=DATE:20260202"),
        ...vevent("UID:leap", "DTSTART;VALUE=DATE:20280228", "DTEND;VALUE=DATE:20280301"),
        ...vevent("UID:nye", "DTSTART;VALUE=DATE:20261231", "DTEND;VALUE=DATE:20270101"),
      ),
    );
    const e = byKey(feed);
    assert.deepEqual(allDay(e.get("span")), {
      kind: "allDay",
      startDate: "2026-01-30",
      endDate: "2026-02-02",
    });
    assert.deepEqual(allDay(e.get("leap")), {
      kind: "allDay",
      startDate: "2028-02-28",
      endDate: "2028-03-01",
    });
    assert.deepEqual(allDay(e.get("nye")), {
      kind: "allDay",
      startDate: "2026-12-31",
      endDate: "2027-01-01",
    });
  });

  test("an end before the start is reported", () => {
    const feed = parse(calendar(...vevent("UID:x", "DTSTART:20260301T100000Z", "DTEND:20260301T090000Z")));
    assert.equal(feed.events.length, 0);
    assert.equal(feed.problems[0]!.code, "end-before-start");
  });
});

describe("window and caps", () => {
  const window = { from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-04-01T00:00:00Z") };

  test("single events outside the window are dropped; events overlapping it are kept", () => {
    const feed = parse(
      calendar(
        ...vevent("UID:before", "DTSTART:20260201T100000Z", "DTEND:20260201T110000Z"),
        ...vevent("UID:overlap", "DTSTART:20260228T200000Z", "DTEND:20260301T020000Z"),
        ...vevent("UID:inside", "DTSTART;VALUE=DATE:20260315"),
        ...vevent("UID:after", "DTSTART:20260401T000000Z"),
      ),
      { window },
    );
    assert.deepEqual(
      feed.events.map((e) => e.uid),
      ["overlap", "inside"],
    );
  });

  test("more events than maxEvents: the earliest are kept and the cap is reported", () => {
    const events = Array.from({ length: 30 }, (_, i) =>
      vevent(`UID:e${i}`, `DTSTART:202603${String(i + 1).padStart(2, "0")}T100000Z`),
    ).flat();
    const feed = parse(calendar(...events), { window, maxEvents: 10 });
    assert.equal(feed.events.length, 10);
    assert.equal(feed.events[0]!.uid, "e0");
    assert.deepEqual(
      feed.problems.map((p) => p.code),
      ["event-cap"],
    );
  });

  test("calendar name, time zone and producer are read", () => {
    const feed = parse(
      calendar(
        "X-WR-CALNAME:Club\\, events",
        "X-WR-TIMEZONE:Europe/Berlin",
        ...vevent("UID:a", "DTSTART:20260301T100000Z"),
      ),
    );
    assert.equal(feed.calendarName, "Club, events");
    assert.equal(feed.calendarTimezone, "Europe/Berlin");
    assert.equal(feed.prodId, "-//test//EN");
  });
});
