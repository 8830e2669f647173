/** An emulated Discourse, a private Redis and feed files for end-to-end sync tests. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { after, before, beforeEach } from "node:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator/index.ts";
import type { FeedConfig, SiteConfig } from "../../src/core/feed.ts";
import { syncFeed, type SyncDeps } from "../../src/sync/run-sync.ts";
import { startRedis, type TestRedis } from "../support/redis.ts";
import { feed as feedFixture, site as siteFixture } from "./fixtures.ts";

export interface IcsEvent {
  uid: string;
  summary: string;
  /** Date (all-day) or Date-time (UTC) */
  start: Date | string;
  end?: Date | string;
  location?: string;
  description?: string;
  status?: "CONFIRMED" | "TENTATIVE" | "CANCELLED";
  sequence?: number;
  rrule?: string;
  recurrenceId?: Date;
  extra?: string[];
}

const utc = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
const fold = (s: string) =>
  s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/,/g, "\\,").replace(/;/g, "\\;");

export function buildIcs(events: IcsEvent[]): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//discourse-ics tests//EN"];
  for (const e of events) {
    lines.push("BEGIN:VEVENT", `UID:${e.uid}`, `DTSTAMP:${utc(new Date())}`, `SUMMARY:${fold(e.summary)}`);
    if (typeof e.start === "string") {
      lines.push(`DTSTART;VALUE=DATE:${e.start.replace(/-/g, "")}`);
      if (e.end) lines.push(`DTEND;VALUE=DATE:${(e.end as string).replace(/-/g, "")}`);
    } else {
      lines.push(`DTSTART:${utc(e.start)}`);
      lines.push(`DTEND:${utc((e.end as Date | undefined) ?? new Date(e.start.getTime() + 3_600_000))}`);
    }
    if (e.recurrenceId) lines.push(`RECURRENCE-ID:${utc(e.recurrenceId)}`);
    if (e.location) lines.push(`LOCATION:${fold(e.location)}`);
    if (e.description) lines.push(`DESCRIPTION:${fold(e.description)}`);
    if (e.status) lines.push(`STATUS:${e.status}`);
    if (e.sequence !== undefined) lines.push(`SEQUENCE:${e.sequence}`);
    if (e.rrule) lines.push(`RRULE:${e.rrule}`);
    lines.push(...(e.extra ?? []), "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.join("\r\n") + "\r\n";
}

/** Whole hours from now, so events always fall inside the sync window. */
export function hoursFromNow(h: number): Date {
  const d = new Date(Date.now() + h * 3_600_000);
  d.setUTCMinutes(0, 0, 0);
  return d;
}

export function numberedEvents(n: number, over: Partial<IcsEvent> = {}): IcsEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    uid: `event-${i}@tests.example`,
    summary: `Community event number ${i}`,
    start: hoursFromNow(24 + i * 5),
    location: `Room ${i}`,
    description: `Details of event ${i}.`,
    ...over,
  }));
}

export interface Harness {
  emu: Emulator;
  redisServer: TestRedis;
  redis: Redis;
  dir: string;
  site: SiteConfig;
  feedFile: string;
  feed(over?: Partial<FeedConfig>): FeedConfig;
  writeFeed(events: IcsEvent[]): void;
  sync(over?: Partial<FeedConfig>, deps?: Partial<SyncDeps>): ReturnType<typeof syncFeed>;
  /** Topics in the feed's category made by the importer or adopted (the category definition topic left out). */
  eventTopics(categoryId?: number): ReturnType<Emulator["topics"]>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: EmulatorOptions & { siteOver?: Partial<SiteConfig> } = {},
): Promise<Harness> {
  const emu = await startEmulator({ adminRequestsPerMinute: null, ...opts });
  const redisServer = await startRedis();
  const redis = redisServer.client();
  const dir = mkdtempSync(join(tmpdir(), "dics-sync-"));
  const feedFile = join(dir, "feed.ics");
  const site = siteFixture({
    baseUrl: emu.url,
    apiKey: emu.adminApiKey,
    requestsPerMinute: 0,
    calendarPlugin: opts.calendarPlugin ?? false,
    ...opts.siteOver,
  });
  const feed = (over: Partial<FeedConfig> = {}) => feedFixture({ source: { url: feedFile }, ...over });
  return {
    emu,
    redisServer,
    redis,
    dir,
    site,
    feedFile,
    feed,
    writeFeed: (events) => writeFileSync(feedFile, buildIcs(events)),
    sync: (over = {}, deps = {}) =>
      syncFeed(feed(over), site, { redis, clientOptions: { backoffMs: 5 }, ...deps }),
    eventTopics: (categoryId = 3) =>
      emu.topics().filter((t) => t.categoryId === categoryId && !/^About the /.test(t.title)),
    async close() {
      redis.disconnect();
      await redisServer.stop();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One harness for the whole test file and a clean emulator (seeded data, no faults) and Redis before
 * each test: registers the file's hooks and returns the harness, filled in once `before` has run.
 */
export function harnessPerFile(opts: Parameters<typeof startHarness>[0] = {}): Harness {
  const h = {} as Harness;
  before(async () => {
    Object.assign(h, await startHarness(opts));
  });
  after(async () => {
    await h.close();
  });
  beforeEach(async () => {
    h.emu.reset();
    await h.redis.flushall();
  });
  return h;
}
