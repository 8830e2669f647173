/**
 * Every real-world file of the shared corpus either imports with counts that agree with the
 * independent Python cross-check (facts.json) or differs for a reason stated below.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { FeedError } from "../../src/ics/errors.ts";
import { parseFeedWithStats } from "../../src/ics/parse.ts";

const corpusDir =
  process.env.ICS_CORPUS ?? fileURLToPath(new URL("../../../../shared/ics-corpus/", import.meta.url));

interface Fact {
  file: string;
  python_icalendar: {
    parses: boolean;
    vevents?: number;
    distinct_uids?: number;
    occurrences_2000_2030?: number | null;
  };
  raw_text: { begin_vevent_lines: number; distinct_uids: number; vevents_without_uid: number };
}

/**
 * Where our figures differ from facts.json (or facts.json has none), what ours are and why they are right.
 * occurrences: events we produce in 2000-01-01..2031-01-01; skipped: VEVENTs reported and left out.
 */
const expectedDifferences: Record<
  string,
  { occurrences?: number; skipped?: number; problems?: string[]; why: string }
> = {
  "google/google-calendar_large-feed_4778-events.ics": {
    occurrences: 6737,
    why:
      "4 more than Python: four timed series start on a DTSTART their own RRULE does not produce " +
      "(e.g. FREQ=MONTHLY;BYMONTHDAY=7 starting on the 4th). RFC 5545 3.8.5.3 makes DTSTART the first " +
      "instance of the set; python-recurring-ical-events 2.0.1 leaves these four out.",
  },
  "google/google-calendar_birthday_rdate_recurrence-id.ics": {
    occurrences: 6,
    why:
      "Python could not expand it (RDATE written as '20131210Z'). Ours: the 2014 series (DTSTART + two " +
      "RDATEs read as dates) gives 3, and the three RECURRENCE-ID instances of the other UID, whose master " +
      "is not in the file, are kept as orphaned overrides: 3.",
  },
  "google/google-calendar_australian-holidays.ics": {
    occurrences: 239,
    why:
      "36 fewer than Python: the yearly all-day series have overrides whose RECURRENCE-ID is written as a " +
      "UTC midnight date-time (RECURRENCE-ID:20030425T000000Z for the 2003-04-25 instance). We match them to " +
      "the all-day instance of that date, so the override replaces it; Python keeps both, listing the holiday twice.",
  },
  "tvcountdown/tvcountdown_episodes_duplicate-uid.ics": {
    occurrences: 26,
    problems: ["duplicate-uid"],
    why: "one UID appears twice without RECURRENCE-ID: one copy is kept (highest SEQUENCE, then latest) and the other reported",
  },
  "lanyrd/lanyrd_conferences_multiday.ics": {
    occurrences: 8,
    skipped: 1,
    problems: ["invalid-date"],
    why: "one VEVENT has DTSTART 'Next Year': reported and skipped, the other 8 import (Python failed to expand)",
  },
  "collective-icalendar/dst-transition-ambiguous-times.ics": {
    occurrences: 0,
    skipped: 4,
    problems: ["unknown-timezone", "unknown-timezone", "unknown-timezone", "unknown-timezone"],
    why:
      "the custom VTIMEZONE 'MyTimezone' (+10 -> +12 -> +10 within 2024) matches no IANA zone; its events are " +
      "reported with the zone named, never silently read as UTC",
  },
  "lotus-notes/lotus-notes-6_rdate_eastern-tzid.ics": {
    occurrences: 5,
    why: "Python failed on the RDATE;VALUE=PERIOD list; ours: 5 periods of the daily meeting in 'Eastern' (America/New_York)",
  },
  "zimbra/zimbra_recur-instances.ics": {
    occurrences: 221,
    why:
      "Python failed on mixed RDATE types; ours: the open-ended monthly series 2012-2030 with its EXDATE, " +
      "RDATEs and RECURRENCE-ID overrides (moved instances counted once)",
  },
  "nextcloud/nextcloud-calendar_yearly-allday_valarm.ics": {
    occurrences: 6,
    why: "Python rejects the VALARM duration -P1W6DT15H; alarms are not imported, the yearly event from 2025 gives 6 (2025-2030)",
  },
  "collective-icalendar/bom_empty-calendar.ics": {
    occurrences: 0,
    why: "Python rejects the UTF-8 BOM; ours strips it and reads an empty calendar",
  },
};

const window = { from: new Date("2000-01-01T00:00:00Z"), to: new Date("2031-01-01T00:00:00Z") };

describe(
  "shared ICS corpus",
  { skip: existsSync(corpusDir) ? false : `corpus not found at ${corpusDir}` },
  () => {
    const facts = existsSync(corpusDir)
      ? (JSON.parse(readFileSync(`${corpusDir}/facts.json`, "utf8")) as Fact[])
      : [];

    test("the corpus has the 44 files the manifest lists", () => {
      assert.equal(facts.length, 44);
    });

    test("damaged copies (cut short, or with bytes cut out) import or are refused with a FeedError", () => {
      for (const fact of facts) {
        const bytes = readFileSync(`${corpusDir}/${fact.file}`);
        if (bytes.length > 200_000) continue;
        for (const k of [1, 5, 9, 13]) {
          const cut = Math.floor((bytes.length * k) / 16);
          const copies = [
            bytes.subarray(0, cut),
            Buffer.concat([bytes.subarray(0, cut), bytes.subarray(cut + 7)]),
          ];
          for (const damaged of copies) {
            try {
              const feed = parseFeedWithStats(damaged, { feedId: fact.file, window }).feed;
              assert.ok(Array.isArray(feed.events));
            } catch (err) {
              assert.ok(err instanceof FeedError, `${fact.file} cut at ${cut}: ${(err as Error).stack}`);
              assert.match(err.message, /^feed "/);
            }
          }
        }
      }
    });

    for (const fact of facts) {
      test(fact.file, () => {
        const bytes = readFileSync(`${corpusDir}/${fact.file}`);
        const { feed, stats } = parseFeedWithStats(bytes, {
          feedId: fact.file,
          window,
          maxOccurrencesPerSeries: 100_000,
          maxEvents: 1_000_000,
        });
        const diff = expectedDifferences[fact.file];
        const py = fact.python_icalendar;

        assert.equal(stats.vevents, fact.raw_text.begin_vevent_lines, "VEVENT count");
        assert.equal(stats.skipped, diff?.skipped ?? 0, "VEVENTs skipped");
        if (!diff?.skipped) {
          assert.equal(stats.distinctUids, py.distinct_uids ?? fact.raw_text.distinct_uids, "distinct UIDs");
          assert.equal(stats.withoutUid, fact.raw_text.vevents_without_uid, "VEVENTs without UID");
        }
        const expected = diff?.occurrences ?? py.occurrences_2000_2030;
        assert.ok(
          typeof expected === "number",
          `no expected occurrence count for ${fact.file}: add one with a reason`,
        );
        assert.equal(feed.events.length, expected, `occurrences 2000-2030${diff ? ` (${diff.why})` : ""}`);
        assert.deepEqual(
          feed.problems.map((p) => p.code),
          diff?.problems ?? [],
          `problems: ${feed.problems.map((p) => p.message).join(" | ")}`,
        );

        const keys = new Set(feed.events.map((e) => e.key));
        assert.equal(keys.size, feed.events.length, "event keys are unique");
        for (const e of feed.events) {
          if (e.time.kind === "timed") {
            assert.ok(e.time.end >= e.time.start, `${e.key}: end before start`);
            assert.ok(
              Intl.supportedValuesOf("timeZone").includes(e.time.timezone) || e.time.timezone === "UTC",
            );
          } else {
            assert.ok(e.time.endDate > e.time.startDate, `${e.key}: all-day end not after start`);
          }
          assert.doesNotMatch(e.description, /<(?:br|p|div|a)\b/i, `${e.key}: HTML left in description`);
        }
      });
    }
  },
);
