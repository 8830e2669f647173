/**
 * Sync benchmark against the Discourse emulator (run from the repository root: node bench/sync.ts).
 *   (a) first import of N events: requests by route, wall time against the floor of N requests at the limit
 *   (b) second run, nothing changed: Discourse requests (aim 0)
 *   (c) 10 events changed: requests (aim <= 20)
 *   (d) the feed answers 304: requests (aim 0)
 *   (e) finding topics to adopt: the category list against /search.json, in requests
 *   (f) two more feeds of this worker into the same category, first import: requests (aim N each)
 * Flags: --n 500  --rate 60 (admin requests per minute; 0 = unlimited)  --changed 10
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { z } from "zod";
import { startEmulator } from "../worker/emulator/index.ts";
import type { FeedConfig, SiteConfig } from "../worker/src/core/feed.ts";
import { createDiscourseClient } from "../worker/src/discourse/client.ts";
import { findOrStartRedis } from "../worker/src/sync/private-redis.ts";
import { scanCategory } from "../worker/src/sync/scan-category.ts";
import { createStateStore } from "../worker/src/sync/state-store.ts";
import { syncFeed } from "../worker/src/sync/run-sync.ts";

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "500" },
    rate: { type: "string", default: "60" },
    changed: { type: "string", default: "10" },
  },
});
const N = Number(values.n);
const RATE = Number(values.rate);
const CHANGED = Math.min(Number(values.changed), N);

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
function feedText(changed: number): string {
  const base = Date.UTC(2030, 0, 1, 18);
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//discourse-ics bench//EN",
  ];
  for (let i = 0; i < N; i++) {
    const start = new Date(base + i * 6 * 3_600_000);
    lines.push(
      "BEGIN:VEVENT",
      `UID:bench-${i}@bench.example`,
      "DTSTAMP:20300101T000000Z",
      `DTSTART:${stamp(start)}`,
      `DTEND:${stamp(new Date(start.getTime() + 2 * 3_600_000))}`,
      `SUMMARY:Bench event ${i}`,
      `LOCATION:Room ${i % 17}`,
      `DESCRIPTION:Description of event ${i}${i < changed ? " (changed)" : ""}.`,
      "END:VEVENT"
    );
  }
  lines.push("END:VCALENDAR");
  return lines.join("\r\n") + "\r\n";
}

// the feed over HTTP with an ETag, so (d) sees a real 304
let body = feedText(0);
const server = createServer((req, res) => {
  const etag = `"${createHash("sha1").update(body).digest("hex")}"`;
  if (req.headers["if-none-match"] === etag)
    return void res.writeHead(304, { etag }).end();
  res.writeHead(200, { "content-type": "text/calendar", etag }).end(body);
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bench.ics`;

const emu = await startEmulator({
  adminRequestsPerMinute: RATE > 0 ? RATE : null,
});
const redisInfo = await findOrStartRedis(process.env);
if (!redisInfo) {
  console.error(
    "bench: needs Redis (REDIS_URL, 127.0.0.1:6379, or redis-server on PATH)"
  );
  process.exit(2);
}
const redis = new Redis(redisInfo.url, { maxRetriesPerRequest: null });
const prefix = `dics-bench-${process.pid}`;
const site: SiteConfig = {
  id: "bench",
  baseUrl: emu.url,
  apiUsername: "system",
  apiKey: emu.adminApiKey,
  requestsPerMinute: RATE,
  timezone: "UTC",
  calendarPlugin: false,
};
const feed: FeedConfig = {
  id: "bench",
  source: { url: feedUrl },
  siteId: "bench",
  categoryId: 3,
  tags: ["bench"],
  window: { pastDays: 1, futureDays: 3650 },
  schedule: { everySeconds: 3600 },
  titleTemplate: "{summary} ({date})",
  cancelled: "note",
  removed: "close",
  adoption: "time-and-location",
  allowMassRemoval: false,
};
const now = () => new Date(Date.UTC(2029, 11, 31));
const deps = {
  redis,
  redisPrefix: prefix,
  now,
  fetchOptions: { allowPrivateAddresses: true },
};

/** Requests the emulator received since `mark` (its state is kept between phases, only counted apart). */
function since(mark: number) {
  const reqs = emu.requests().slice(mark);
  const tally = (key: (r: (typeof reqs)[number]) => string) => {
    const out: Record<string, number> = {};
    for (const r of reqs) out[key(r)] = (out[key(r)] ?? 0) + 1;
    return out;
  };
  const routes = Object.entries(tally((r) => r.route))
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${r}: ${n}`)
    .join(", ");
  return {
    total: reqs.length,
    routes: routes || "none",
    statuses: JSON.stringify(tally((r) => String(r.status))),
  };
}

console.log(
  `sync bench: N=${N}, admin API limit ${RATE > 0 ? `${RATE}/min` : "off"}, Redis ${redisInfo.origin}`
);
try {
  let mark = emu.requests().length;
  let t0 = performance.now();
  const a = await syncFeed(feed, site, deps);
  const wall = (performance.now() - t0) / 1000;
  const sa = since(mark);
  console.log(
    `\n(a) first import: ${a.outcome}, created ${a.counts.created}, failed ${a.counts.failed}`
  );
  console.log(
    `    requests ${sa.total} (${(sa.total / N).toFixed(3)} per event): ${sa.routes}; statuses ${sa.statuses}`
  );
  if (RATE > 0) {
    const floor = (N / RATE) * 60;
    console.log(
      `    wall ${wall.toFixed(1)} s; floor ${floor.toFixed(1)} s (N requests at ${RATE}/min); ratio ${(wall / floor).toFixed(3)}`
    );
  } else console.log(`    wall ${wall.toFixed(1)} s (no limit)`);

  // forget the fetch validators so the whole feed is fetched, parsed and planned again
  await redis.del(`${prefix}:sync:${feed.id}:fetch`);
  mark = emu.requests().length;
  t0 = performance.now();
  const b = await syncFeed(feed, site, deps);
  console.log(
    `\n(b) second run, nothing changed (feed fetched and planned): ${b.outcome}, unchanged ${b.counts.unchanged}, requests ${since(mark).total}, ${((performance.now() - t0) / 1000).toFixed(2)} s`
  );

  body = feedText(CHANGED);
  mark = emu.requests().length;
  const c = await syncFeed(feed, site, deps);
  const sc = since(mark);
  console.log(
    `\n(c) ${CHANGED} events changed: ${c.outcome}, updated ${c.counts.updated}, requests ${sc.total}: ${sc.routes}`
  );

  mark = emu.requests().length;
  const d = await syncFeed(feed, site, deps);
  console.log(
    `\n(d) feed answers 304: ${d.outcome}, requests ${since(mark).total}`
  );

  // the scan never reads topics another feed of this worker owns, and stops paging at what it saw
  for (const id of ["bench-2", "bench-3"]) {
    mark = emu.requests().length;
    // its own titles, so Discourse's unique-title rule does not cost retries
    const f = await syncFeed(
      { ...feed, id, name: id, titleTemplate: "{summary} ({date}, {feed})" },
      site,
      deps
    );
    const sf = since(mark);
    console.log(
      `\n(f) feed ${id} into the same category: ${f.outcome}, created ${f.counts.created}, requests ${sf.total}: ${sf.routes}`
    );
  }

  await adoptionLookupCost();
} finally {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await redisInfo.stop();
  await emu.close();
  server.close();
}

/**
 * (e) A category with people's event topics (half of them for feed events) and M new feed events:
 * what it costs to find the topics to adopt by walking the category list once, or by one search per
 * new event plus a read of each hit.
 */
async function adoptionLookupCost(): Promise<void> {
  const M = Math.min(N, 100);
  const people = 40;
  const other = await startEmulator({ adminRequestsPerMinute: null });
  try {
    for (let i = 0; i < people; i++) {
      const start = new Date(Date.UTC(2030, 0, 1, 18) + i * 2 * 6 * 3_600_000)
        .toISOString()
        .slice(0, 16)
        .replace("T", " ");
      other.createTopicAs("alice", {
        title: `People's topic number ${i} about something`,
        raw: `[event start="${start}" timezone="UTC" location="Room ${(i * 2) % 17}"]\n[/event]\n\nWritten by a person.`,
        category: 3,
      });
    }
    const client = createDiscourseClient({
      ...site,
      baseUrl: other.url,
      apiKey: other.adminApiKey,
      requestsPerMinute: 0,
    });
    let mark = other.requests().length;
    const store = createStateStore(redis, `${prefix}-adoption`);
    const found = await scanCategory(
      client,
      store,
      { ...feed, id: "adoption" },
      new Set()
    );
    const listCost = other.requests().length - mark;
    mark = other.requests().length;
    await scanCategory(client, store, { ...feed, id: "adoption-2" }, new Set());
    const againCost = other.requests().length - mark;

    mark = other.requests().length;
    const searchAnswer = z.object({
      topics: z.array(z.object({ id: z.number() })).optional(),
    });
    const read = new Set<number>();
    for (let i = 0; i < M; i++) {
      const answer = await client.request("GET", "/search.json", searchAnswer, {
        query: { q: `Bench event ${i} #events in:first` },
      });
      for (const t of answer.topics ?? []) {
        if (read.has(t.id)) continue;
        read.add(t.id);
        await client.topic(t.id);
      }
    }
    const searchCost = other.requests().length - mark;
    console.log(
      `\n(e) finding topics to adopt among ${people} people's topics for ${M} new events:`
    );
    console.log(
      `    category list: ${listCost} requests (${found.length} topics read, each remembered for later runs)`
    );
    console.log(
      `    the same scan for another feed of the category: ${againCost} requests`
    );
    console.log(
      `    search per event: ${searchCost} requests (${read.size} hits read; markers and times are not searchable)`
    );
  } finally {
    await other.close();
  }
}
