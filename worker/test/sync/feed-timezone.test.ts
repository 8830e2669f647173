import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { createStateStore } from "../../src/sync/state-store.ts";
import { harnessPerFile } from "./harness.ts";

const h = harnessPerFile();

/** A feed with a floating time (no Z, no TZID) and no X-WR-TIMEZONE: the zone must come from config. */
function writeFloatingFeed(year: number): void {
  const ics = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//discourse-ics tests//EN",
    "BEGIN:VEVENT",
    "UID:floating@tests.example",
    "DTSTAMP:20260101T000000Z",
    `DTSTART:${year}0110T100000`,
    `DTEND:${year}0110T110000`,
    "SUMMARY:Floating winter meeting",
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");
  writeFileSync(h.feedFile, ics);
}

async function storedStart(): Promise<string | undefined> {
  const [record] = await createStateStore(h.redis).list("community");
  return record?.event.time.kind === "timed" ? record.event.time.start : undefined;
}

test("a feed's timezone is the zone of its floating times; without it, the site's zone is", async () => {
  const year = new Date().getUTCFullYear() + 1;
  writeFloatingFeed(year);
  assert.equal((await h.sync({ timezone: "America/New_York" })).counts.created, 1);
  // 10:00 in New York in January is 15:00 UTC
  assert.equal(Date.parse((await storedStart())!), Date.UTC(year, 0, 10, 15));

  h.emu.reset();
  await h.redis.flushall();
  assert.equal(h.site.timezone, "Europe/Berlin");
  assert.equal((await h.sync()).counts.created, 1);
  // 10:00 in Berlin in January is 09:00 UTC
  assert.equal(Date.parse((await storedStart())!), Date.UTC(year, 0, 10, 9));
});
