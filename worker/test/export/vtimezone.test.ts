import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildIcs } from "../../src/export/build-ics.ts";
import { vtimezone } from "../../src/export/vtimezone.ts";
import { exportConfig, record, timedEvent } from "./fixtures.ts";
import { readWithIcalJs } from "./read-back.ts";

describe("vtimezone", () => {
  it("writes a zone with a steady rule as one STANDARD and one DAYLIGHT RRULE", () => {
    const text = vtimezone("Europe/Berlin", 2024, 2027)!;
    const lines = text.split("\r\n");
    assert.equal(lines[0], "BEGIN:VTIMEZONE");
    assert.ok(lines.includes("TZID:Europe/Berlin"));
    assert.ok(lines.includes("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"));
    assert.ok(lines.includes("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"));
    assert.equal(lines.filter((l) => l === "BEGIN:STANDARD").length, 1);
    assert.equal(lines.filter((l) => l === "BEGIN:DAYLIGHT").length, 1);
  });

  it("writes a zone without changes as a single fixed observance", () => {
    const lines = vtimezone("Asia/Kolkata", 2024, 2027)!.split("\r\n");
    assert.ok(lines.includes("TZOFFSETFROM:+0530"));
    assert.ok(lines.includes("TZOFFSETTO:+0530"));
    assert.equal(lines.filter((l) => l.startsWith("BEGIN:")).length, 2);
  });

  it("writes each change of a zone that dropped daylight time, without an endless RRULE", () => {
    const lines = vtimezone("America/Mexico_City", 2020, 2025)!.split("\r\n");
    assert.equal(lines.filter((l) => l.startsWith("RRULE")).length, 0);
    assert.equal(lines.filter((l) => l === "BEGIN:DAYLIGHT").length, 3); // 2020, 2021 and 2022
  });

  it("gives nothing for UTC and unknown zones", () => {
    assert.equal(vtimezone("UTC", 2024, 2026), null);
    assert.equal(vtimezone("Mars/Olympus_Mons", 2024, 2026), null);
  });

  // ical.js knows no zones of its own: it places these events only through the VTIMEZONEs we wrote.
  const zones = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Africa/Casablanca",
    "Europe/Dublin",
    "Pacific/Chatham",
    "Asia/Kolkata",
  ];
  for (const zone of zones) {
    it(`places events across 2018-2028 at the right instant in ${zone}`, () => {
      const records = [];
      // Every 5 days plus a shifting hour lands on both sides of every transition over the years.
      for (let t = Date.UTC(2018, 0, 1, 0, 30); t < Date.UTC(2028, 11, 31); t += 5 * 86_400_000 + 3_600_000) {
        const start = new Date(t).toISOString();
        const end = new Date(t + 5_400_000).toISOString();
        records.push(record(timedEvent(`e${t}`, start, end, zone)));
      }
      const body = buildIcs({
        config: exportConfig(),
        siteBaseUrl: "https://f.example",
        records,
        pluginEvents: [],
      }).body;
      const read = new Map(readWithIcalJs(body).map((e) => [e.uid, e]));
      let checked = 0;
      for (const r of records) {
        const got = read.get(r.event.uid);
        const time = r.event.time;
        assert.equal(time.kind, "timed");
        if (time.kind !== "timed") continue;
        // A wall-clock time that a backward change makes occur twice is ambiguous in iCalendar itself.
        if (got?.start !== time.start && isAmbiguous(zone, time.start)) continue;
        assert.equal(got?.start, time.start, `start of ${r.event.uid} in ${zone}`);
        assert.equal(got?.end, time.end, `end of ${r.event.uid} in ${zone}`);
        checked++;
      }
      assert.ok(checked > records.length * 0.99, `only ${checked} of ${records.length} checked`);
    });
  }
});

function isAmbiguous(zone: string, iso: string): boolean {
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    dateStyle: "short",
    timeStyle: "short",
  });
  const t = Date.parse(iso);
  const local = fmt.format(t);
  return [-3, -2, -1, 1, 2, 3].some((h) => fmt.format(t + h * 3_600_000) === local);
}
