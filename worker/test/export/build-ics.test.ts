import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildIcs } from "../../src/export/build-ics.ts";
import type { PluginEvent } from "../../src/export/types.ts";
import { allDayEvent, contentLines, exportConfig, record, timedEvent } from "./fixtures.ts";
import { readWithIcalJs, readWithNodeIcal, seriesStartsWithIcalJs } from "./read-back.ts";

const SITE = "https://forum.example.org";

function build(
  records = [
    record(timedEvent("a@src", "2026-03-29T08:00:00.000Z", "2026-03-29T09:00:00.000Z", "Europe/Berlin")),
  ],
  pluginEvents: PluginEvent[] = [],
) {
  return buildIcs({ config: exportConfig(), siteBaseUrl: SITE, records, pluginEvents }).body;
}

describe("buildIcs: calendar properties", () => {
  it("writes PRODID, name, description and both refresh hints", () => {
    const lines = contentLines(build());
    assert.ok(lines.includes("PRODID:-//discourse-ics//export//EN"));
    assert.ok(lines.includes("X-WR-CALNAME:Forum events"));
    assert.ok(lines.includes("X-WR-CALDESC:Everything on the forum's calendar"));
    assert.ok(lines.includes("REFRESH-INTERVAL;VALUE=DURATION:PT1H"));
    assert.ok(lines.includes("X-PUBLISHED-TTL:PT1H"));
  });

  it("writes one VTIMEZONE for every zone used and none for UTC", () => {
    const body = build([
      record(timedEvent("a", "2026-03-29T08:00:00.000Z", "2026-03-29T09:00:00.000Z", "Europe/Berlin")),
      record(timedEvent("b", "2026-04-01T08:00:00.000Z", "2026-04-01T09:00:00.000Z", "Europe/Berlin")),
      record(timedEvent("c", "2026-05-01T08:00:00.000Z", "2026-05-01T09:00:00.000Z", "America/New_York")),
      record(timedEvent("d", "2026-05-02T08:00:00.000Z", "2026-05-02T09:00:00.000Z", "UTC")),
    ]);
    const tzids = contentLines(body).filter((l) => l.startsWith("TZID:"));
    assert.deepEqual(tzids.sort(), ["TZID:America/New_York", "TZID:Europe/Berlin"]);
    assert.ok(contentLines(body).includes("DTSTART:20260502T080000Z"));
  });

  it("is deterministic: the same records give the same bytes", () => {
    const recs = [
      record(timedEvent("a", "2026-03-29T08:00:00.000Z", "2026-03-29T09:00:00.000Z", "Europe/Berlin")),
    ];
    assert.equal(build(recs), build(recs));
  });

  it("writes a valid empty calendar for an empty category", () => {
    const body = build([]);
    assert.ok(body.startsWith("BEGIN:VCALENDAR\r\n"));
    assert.ok(body.endsWith("END:VCALENDAR"));
    assert.equal(contentLines(body).filter((l) => l === "BEGIN:VEVENT").length, 0);
    assert.deepEqual(readWithNodeIcal(body), []);
    assert.deepEqual(readWithIcalJs(body), []);
  });
});

describe("buildIcs: events", () => {
  it("keeps the source UID and writes RECURRENCE-ID for occurrences, timed and all-day", () => {
    const occ = timedEvent(
      "series@src",
      "2026-06-02T16:30:00.000Z",
      "2026-06-02T18:00:00.000Z",
      "Europe/Berlin",
    );
    occ.key = "series@src@2026-06-02T16:00:00.000Z";
    occ.recurrenceId = "2026-06-02T16:00:00.000Z";
    const day = allDayEvent("days@src", "2026-07-10", "2026-07-11");
    day.key = "days@src@2026-07-10";
    day.recurrenceId = "2026-07-10";
    const body = build([record(occ), record(day)]);
    for (const read of [readWithNodeIcal(body), readWithIcalJs(body)]) {
      const timed = read.find((e) => e.uid === "series@src");
      assert.equal(timed?.recurrenceId, "2026-06-02T16:00:00.000Z");
      assert.equal(timed?.start, "2026-06-02T16:30:00.000Z");
      const allDay = read.find((e) => e.uid === "days@src");
      assert.equal(allDay?.recurrenceId, "2026-07-10");
      assert.equal(allDay?.start, "2026-07-10");
      assert.equal(allDay?.end, "2026-07-11");
      assert.equal(allDay?.allDay, true);
    }
    assert.ok(contentLines(body).includes("RECURRENCE-ID;TZID=Europe/Berlin:20260602T180000"));
    assert.ok(contentLines(body).includes("RECURRENCE-ID;VALUE=DATE:20260710"));
  });

  it("gives a series a master whose RDATEs list every occurrence, with each occurrence as an override", () => {
    const occurrence = (rid: string, start: string, status: "confirmed" | "cancelled" = "confirmed") => {
      const e = timedEvent(
        "weekly@src",
        start,
        new Date(Date.parse(start) + 3_600_000).toISOString(),
        "America/New_York",
      );
      e.key = `weekly@src@${rid}`;
      e.recurrenceId = rid;
      e.status = status;
      return record(e);
    };
    const body = build([
      occurrence("2026-03-03T23:00:00.000Z", "2026-03-03T23:00:00.000Z"),
      occurrence("2026-03-10T22:00:00.000Z", "2026-03-11T00:00:00.000Z"), // moved two hours later
      occurrence("2026-03-17T22:00:00.000Z", "2026-03-17T22:00:00.000Z", "cancelled"),
    ]);
    const lines = contentLines(body);
    assert.equal(lines.filter((l) => l === "UID:weekly@src").length, 4);
    assert.ok(lines.includes("RDATE:20260310T220000Z"));
    assert.ok(lines.includes("RDATE:20260317T220000Z"));
    assert.deepEqual(seriesStartsWithIcalJs(body).get("weekly@src"), [
      "2026-03-03T23:00:00.000Z",
      "2026-03-10T22:00:00.000Z",
      "2026-03-17T22:00:00.000Z",
    ]);
    for (const read of [readWithNodeIcal(body), readWithIcalJs(body)]) {
      assert.equal(read.length, 3);
      const moved = read.find((e) => e.recurrenceId === "2026-03-10T22:00:00.000Z");
      assert.equal(moved?.start, "2026-03-11T00:00:00.000Z");
      const cancelled = read.find((e) => e.recurrenceId === "2026-03-17T22:00:00.000Z");
      assert.equal(cancelled?.status, "CANCELLED");
    }
  });

  it("raises SEQUENCE with the record's revision", () => {
    const ev = timedEvent("seq", "2026-03-29T08:00:00.000Z", "2026-03-29T09:00:00.000Z", "UTC");
    ev.sequence = 2;
    const seq = (revision: number) =>
      readWithIcalJs(build([record(ev, { revision })])).find((e) => e.uid === "seq")?.sequence;
    assert.equal(seq(1), 3);
    assert.equal(seq(4), 6);
  });

  it("marks cancelled records and cancelled events STATUS:CANCELLED", () => {
    const a = timedEvent("a", "2026-03-29T08:00:00.000Z", "2026-03-29T09:00:00.000Z", "UTC");
    const b = timedEvent("b", "2026-03-30T08:00:00.000Z", "2026-03-30T09:00:00.000Z", "UTC");
    b.status = "cancelled";
    const c = timedEvent("c", "2026-03-31T08:00:00.000Z", "2026-03-31T09:00:00.000Z", "UTC");
    const read = readWithNodeIcal(build([record(a, { state: "cancelled" }), record(b), record(c)]));
    const status = Object.fromEntries(read.map((e) => [e.uid, e.status]));
    assert.deepEqual(status, { a: "CANCELLED", b: "CANCELLED", c: "CONFIRMED" });
  });

  it("links the topic in URL and description, writes GEO, and writes no e-mail address", () => {
    const ev = timedEvent("geo", "2026-03-29T08:00:00.000Z", "2026-03-29T09:00:00.000Z", "UTC");
    ev.geo = { lat: 48.2082, lon: 16.3738 };
    ev.location = "Stephansplatz";
    ev.organizerName = "Organiser Person";
    ev.description = "Questions to someone@example.org or mailto:other@example.com please";
    const rec = record(ev, { topicId: 4242 });
    const body = build([rec]);
    for (const read of [readWithNodeIcal(body), readWithIcalJs(body)]) {
      const e = read[0]!;
      assert.equal(e.url, `${SITE}/t/4242`);
      assert.deepEqual(e.geo, { lat: 48.2082, lon: 16.3738 });
      assert.equal(e.location, "Stephansplatz");
      assert.match(e.description ?? "", /\/t\/4242/);
    }
    assert.doesNotMatch(body, /ORGANIZER|mailto|someone@|other@/i);
  });

  it("writes calendar-plugin events with a stable UID, the post URL and their RRULE", () => {
    const plugin: PluginEvent = {
      id: 71,
      name: "Monday meetup",
      startsAt: "2026-06-01T16:00:00.000Z",
      endsAt: "2026-06-01T18:00:00.000Z",
      timezone: "America/New_York",
      allDay: false,
      rrule: "FREQ=WEEKLY;BYDAY=MO",
      status: "public",
      postUrl: "/t/monday-meetup/40/1",
      topicId: 40,
      tags: [],
    };
    const body = build([], [plugin]);
    const lines = contentLines(body);
    assert.ok(lines.includes("UID:discourse-post-event-71@forum.example.org"));
    assert.ok(lines.includes("DTSTART;TZID=America/New_York:20260601T120000"));
    assert.ok(lines.includes("RRULE:FREQ=WEEKLY;BYDAY=MO"));
    const read = readWithIcalJs(body)[0]!;
    assert.equal(read.url, `${SITE}/t/monday-meetup/40/1`);
    assert.equal(read.start, "2026-06-01T16:00:00.000Z");
  });

  it("turns a plugin all-day event that ends at the end of its last day into exclusive dates", () => {
    const plugin: PluginEvent = {
      id: 5,
      name: "Two day fair",
      startsAt: "2026-09-05T00:00:00.000Z",
      endsAt: "2026-09-06T23:59:59.000Z",
      allDay: true,
      status: "standalone",
      topicId: 41,
      tags: [],
    };
    const read = readWithNodeIcal(build([], [plugin]))[0]!;
    assert.equal(read.start, "2026-09-05");
    assert.equal(read.end, "2026-09-07");
  });
});

describe("buildIcs: calendar-plugin shapes", () => {
  it("reads offset-less local times in the event's zone and the RRULE line of a DTSTART+RRULE text", () => {
    const plugin: PluginEvent = {
      id: 9,
      name: "Local time meetup",
      startsAt: "2026-07-01T18:00:00",
      endsAt: "2026-07-01T20:00:00",
      timezone: "Europe/Berlin",
      allDay: false,
      rrule: "DTSTART:20260701T180000\nRRULE:FREQ=WEEKLY;BYDAY=WE;INTERVAL=1;WKST=MO",
      status: "public",
      topicId: 50,
      tags: [],
    };
    const body = build([], [plugin]);
    assert.ok(contentLines(body).includes("RRULE:FREQ=WEEKLY;BYDAY=WE;INTERVAL=1;WKST=MO"));
    const read = readWithIcalJs(body)[0]!;
    assert.equal(read.start, "2026-07-01T16:00:00.000Z");
    assert.equal(read.end, "2026-07-01T18:00:00.000Z");
  });

  it("takes all-day dates as written, the end date being the last day", () => {
    const plugin: PluginEvent = {
      id: 10,
      name: "Weekend fair",
      startsAt: "2026-09-05",
      endsAt: "2026-09-06",
      timezone: "Pacific/Auckland",
      allDay: true,
      status: "public",
      topicId: 51,
      tags: [],
    };
    for (const read of [readWithNodeIcal(build([], [plugin])), readWithIcalJs(build([], [plugin]))]) {
      assert.equal(read[0]!.start, "2026-09-05");
      assert.equal(read[0]!.end, "2026-09-07");
    }
  });

  it("writes only a well-formed RRULE from the plugin's text, never other lines", () => {
    const plugin = (rrule: string): PluginEvent => ({
      id: 11,
      name: "Odd rule",
      startsAt: "2026-07-01T18:00:00Z",
      allDay: false,
      rrule,
      status: "public",
      topicId: 52,
      tags: [],
    });
    const injected = contentLines(build([], [plugin("RRULE:FREQ=WEEKLY\r\nX-INJECT:1")]));
    assert.deepEqual(
      injected.filter((l) => /^(RRULE|X-INJECT)/.test(l)),
      ["RRULE:FREQ=WEEKLY"],
    );
    assert.doesNotMatch(build([], [plugin("FREQ=WEEKLY;BYDAY=MO:X-EVIL")]), /RRULE|X-EVIL/);
  });
});

describe("buildIcs: ical-generator pitfalls", () => {
  // ical-generator #580/#592/#38: all-day dates and zoned times shifted by the host's zone.
  it("writes the same bytes whatever the host's time zone", () => {
    const script = fileURLToPath(new URL("./build-sample.ts", import.meta.url));
    const outputs = ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"].map((tz) =>
      execFileSync(process.execPath, [script], { env: { ...process.env, TZ: tz }, encoding: "utf8" }),
    );
    assert.match(outputs[0]!, /DTSTART;VALUE=DATE:20260710\r\n/);
    assert.equal(outputs[1], outputs[0]);
    assert.equal(outputs[2], outputs[0]);
  });

  // ical-generator #323/#222: descriptions are plain text here, so no X-ALT-DESC and nothing escaped as HTML.
  it("writes the description as plain text only", () => {
    const ev = timedEvent("plain", "2026-03-29T08:00:00.000Z", "2026-03-29T09:00:00.000Z", "UTC");
    ev.description = "Bring <snacks> & drinks";
    const body = build([record(ev)]);
    assert.doesNotMatch(body, /X-ALT-DESC/);
    assert.ok(readWithIcalJs(body)[0]!.description?.startsWith("Bring <snacks> & drinks"));
  });

  // ical-generator #573/#575: subscribed feeds get no alarms, which clients ignore or mishandle anyway.
  it("writes no VALARM", () => {
    assert.doesNotMatch(build(), /VALARM/);
  });
});

describe("buildIcs: hostile text", () => {
  it("cannot be made to write extra properties through CRLF in any text", () => {
    const ev = timedEvent(
      "evil\r\nX-UID-INJECT:1",
      "2026-03-29T08:00:00.000Z",
      "2026-03-29T09:00:00.000Z",
      "UTC",
    );
    ev.summary = "Party\r\nX-SUMMARY-INJECT:1\r\nEND:VEVENT";
    ev.description = "a\nX-DESC-INJECT:1\rBEGIN:VALARM";
    ev.location = "Hall\r\nX-LOC-INJECT:1";
    ev.categories = ["c\r\nX-CAT-INJECT:1"];
    const body = buildIcs({
      config: exportConfig({ title: "T\r\nX-NAME-INJECT:1", description: "D\nX-CALDESC-INJECT:1" }),
      siteBaseUrl: SITE,
      records: [record(ev)],
      pluginEvents: [],
    }).body;
    const lines = contentLines(body);
    assert.equal(lines.filter((l) => /INJECT/.test(l.split(":")[0]!)).length, 0);
    assert.equal(lines.filter((l) => l === "END:VEVENT").length, 1);
    assert.equal(lines.filter((l) => l === "BEGIN:VALARM").length, 0);
    for (const read of [readWithNodeIcal(body), readWithIcalJs(body)]) {
      assert.equal(read.length, 1);
      assert.equal(read[0]!.summary, "Party\nX-SUMMARY-INJECT:1\nEND:VEVENT");
    }
  });

  it("folds very long lines to at most 75 octets and keeps emoji and RTL text intact", () => {
    const ev = timedEvent("long", "2026-03-29T08:00:00.000Z", "2026-03-29T09:00:00.000Z", "UTC");
    ev.summary = "שלום עולם 🎉🇮🇱 مرحبا " + "🎈".repeat(50);
    ev.description = "x".repeat(10_000) + " الوصف ✨";
    const body = build([record(ev)]);
    for (const line of body.split("\r\n")) assert.ok(Buffer.byteLength(line) <= 75, `too long: ${line}`);
    for (const read of [readWithNodeIcal(body), readWithIcalJs(body)]) {
      assert.equal(read[0]!.summary, ev.summary);
      assert.ok(read[0]!.description?.startsWith(ev.description));
    }
  });

  it("scrubs e-mail addresses from huge hostile text in linear time", () => {
    const ev = timedEvent("big", "2026-03-29T08:00:00.000Z", "2026-03-29T09:00:00.000Z", "UTC");
    ev.description = "a".repeat(200_000) + " a.".repeat(50_000) + "@example";
    const started = performance.now();
    buildIcs({ config: exportConfig(), siteBaseUrl: SITE, records: [record(ev)], pluginEvents: [] });
    assert.ok(performance.now() - started < 2_000, "building took too long");
  });

  it("drops control characters that iCalendar text may not carry", () => {
    const ev = timedEvent("ctl", "2026-03-29T08:00:00.000Z", "2026-03-29T09:00:00.000Z", "UTC");
    ev.summary = "bell\u0007 nul\u0000 esc\u001b end";
    const read = readWithIcalJs(build([record(ev)]));
    assert.equal(read[0]!.summary, "bell nul esc end");
  });
});
