/**
 * Corpus round trip: real feeds from other software are read with our parser, exported, and read
 * back with node-ical and ical.js; every event must come back with its UID, occurrence, times,
 * all-day dates and cancellation.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { CalendarEvent } from "../../src/core/event.ts";
import { buildIcs, clean } from "../../src/export/build-ics.ts";
import { parseFeed } from "../../src/ics/parse.ts";
import { exportConfig, record } from "./fixtures.ts";
import { readWithIcalJs, readWithNodeIcal, seriesStartsWithIcalJs, type ReadEvent } from "./read-back.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const MAX_EVENTS_PER_FILE = 1000;
const corpus = process.env.ICS_CORPUS ?? join(repoRoot, "../shared/ics-corpus");

function icsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return icsFiles(path);
    return name.endsWith(".ics") ? [path] : [];
  });
}

function expected(e: CalendarEvent): { start: string; end: string; allDay: boolean } {
  if (e.time.kind === "allDay") return { start: e.time.startDate, end: e.time.endDate, allDay: true };
  return { start: e.time.start, end: e.time.end, allDay: false };
}

function compare(source: CalendarEvent[], read: ReadEvent[], parser: string, file: string): void {
  const byKey = new Map(read.map((r) => [`${r.uid}|${r.recurrenceId ?? ""}`, r]));
  assert.equal(
    read.length,
    source.length,
    `${parser} read ${read.length} of ${source.length} events in ${file}`,
  );
  for (const e of source) {
    const got = byKey.get(`${e.uid}|${e.recurrenceId ?? ""}`);
    const where = `${parser}, ${file}, ${e.key}`;
    assert.ok(got, `${where}: missing`);
    const want = expected(e);
    assert.equal(got.allDay, want.allDay, `${where}: all-day`);
    assert.equal(got.start, want.start, `${where}: start`);
    assert.equal(got.end, want.end, `${where}: end`);
    assert.equal(got.status === "CANCELLED", e.status === "cancelled", `${where}: cancellation`);
    assert.equal(got.summary, clean(e.summary), `${where}: summary`);
  }
}

describe("export round trip over the shared corpus", () => {
  const files = icsFiles(corpus).sort();
  it("finds the corpus", () => assert.ok(files.length >= 40, `only ${files.length} files under ${corpus}`));

  for (const path of files) {
    const file = relative(corpus, path);
    it(file, () => {
      const feed = parseFeed(readFileSync(path), {
        feedId: file,
        window: { from: new Date("1990-01-01T00:00:00Z"), to: new Date("2032-01-01T00:00:00Z") },
        maxOccurrencesPerSeries: 60,
      });
      // Large feeds are cut to their first events so the test stays quick on a shared machine;
      // the benchmark covers size.
      const events = feed.events.slice(0, MAX_EVENTS_PER_FILE);
      const records = events.map((event) =>
        record(event, { eventKey: event.key, state: event.status === "cancelled" ? "cancelled" : "active" }),
      );
      const body = buildIcs({
        config: exportConfig(),
        siteBaseUrl: "https://forum.example.org",
        records,
        pluginEvents: [],
      }).body;
      compare(events, readWithNodeIcal(body), "node-ical", file);
      compare(events, readWithIcalJs(body), "ical.js", file);
      // A client that ignores overrides still finds every occurrence through the series master.
      const masters = seriesStartsWithIcalJs(body);
      const expectedStarts = new Map<string, string[]>();
      for (const e of events) {
        if (!e.recurrenceId) continue;
        const list = expectedStarts.get(e.uid) ?? [];
        list.push(e.recurrenceId);
        expectedStarts.set(e.uid, list);
      }
      for (const [uid, starts] of expectedStarts) {
        if (events.some((e) => e.uid === uid && !e.recurrenceId)) continue;
        assert.deepEqual(masters.get(uid), [...new Set(starts)].sort(), `master of ${uid} in ${file}`);
      }
    });
  }
});
