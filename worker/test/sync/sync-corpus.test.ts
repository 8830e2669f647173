/**
 * Every file of the shared iCalendar corpus imports into the emulator without a single 422, with and
 * without the calendar plugin. Large feeds are cut to their first events by choosing the window.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { FeedError } from "../../src/ics/errors.ts";
import { parseFeed } from "../../src/ics/parse.ts";
import { syncFeed } from "../../src/sync/run-sync.ts";
import { startHarness, type Harness } from "./harness.ts";

const CORPUS =
  process.env.ICS_CORPUS ?? fileURLToPath(new URL("../../../../shared/ics-corpus/", import.meta.url));
const EVENTS_PER_FILE = 60;
const DAY = 86_400_000;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : name.endsWith(".ics") ? [p] : [];
  });
}

function startOf(e: ReturnType<typeof parseFeed>["events"][number]): number {
  return Date.parse(e.time.kind === "allDay" ? `${e.time.startDate}T00:00:00Z` : e.time.start);
}

const harnesses: Harness[] = [];
before(async () => {
  harnesses.push(await startHarness({ calendarPlugin: false }), await startHarness({ calendarPlugin: true }));
});
after(async () => {
  for (const h of harnesses) await h.close();
});

test("the corpus is there", () => {
  assert.ok(files(CORPUS).length >= 40, `corpus at ${CORPUS}`);
});

for (const file of files(CORPUS).sort()) {
  const name = relative(CORPUS, file);
  test(`corpus ${name} imports without a 422`, async () => {
    const wide = { from: new Date("1990-01-01T00:00:00Z"), to: new Date("2035-01-01T00:00:00Z") };
    let events;
    try {
      events = parseFeed(readFileSync(file), {
        feedId: name,
        window: wide,
        maxOccurrencesPerSeries: 200,
      }).events;
    } catch (err) {
      assert.ok(err instanceof FeedError, `refused with a FeedError: ${(err as Error).message}`);
      return;
    }
    if (events.length === 0) return;
    const starts = events.map(startOf).sort((a, b) => a - b);
    const first = starts[0]!;
    const last = starts[Math.min(EVENTS_PER_FILE, starts.length) - 1]!;
    const now = () => new Date(first);
    const window = { pastDays: 2, futureDays: Math.ceil((last - first) / DAY) + 1 };
    for (const h of harnesses) {
      h.emu.reset();
      await h.redis.flushall();
      const r = await syncFeed(
        h.feed({ id: "corpus", source: { url: file }, window, tags: ["corpus"] }),
        h.site,
        {
          redis: h.redis,
          now,
          clientOptions: { backoffMs: 5 },
        },
      );
      const failed = h.emu
        .requests()
        .filter((q) => q.status === 422 && !q.route.startsWith("POST /posts.json"));
      const refusedCreates = h.emu.requests().filter((q) => q.status === 422);
      assert.equal(
        r.counts.failed,
        0,
        `${name} plugin=${h.site.calendarPlugin}: ${JSON.stringify(r.failures.slice(0, 3))}`,
      );
      assert.deepEqual(failed, []);
      // a 422 on create is allowed only as the duplicate-title retry
      assert.ok(refusedCreates.length <= r.counts.created, `${refusedCreates.length} refused creates`);
      assert.ok(r.counts.created > 0 || r.counts.skipped > 0, `${name}: nothing imported`);
      assert.equal(h.eventTopics().length, r.counts.created);
    }
  });
}
