/**
 * Export benchmark: build a feed of N events (time, size, memory), then serve it on loopback under
 * load with autocannon, once as full downloads (gzip) and once as revalidations (If-None-Match → 304).
 *
 *   node bench/export.ts                          # 5,000 events, 5 s per load run
 *   node bench/export.ts --events 20000 --seconds 10 --connections 50
 *
 * The load generator runs in this process too, so the request rates are a floor for the server.
 */
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import Fastify from "fastify";
import type { CalendarEvent } from "../worker/src/core/event.ts";
import type { ExportConfig, SiteConfig } from "../worker/src/core/feed.ts";
import type { ImportedEventRecord } from "../worker/src/core/imported-event.ts";
import { silentLogger } from "../worker/src/core/logger.ts";
import { buildIcs } from "../worker/src/export/build-ics.ts";
import { compressAll } from "../worker/src/export/cache.ts";
import { createExportContext } from "../worker/src/export/context.ts";
import { registerExportRoutes } from "../worker/src/export/routes.ts";
import type { ExportDeps } from "../worker/src/export/types.ts";
import { startRedis } from "../worker/test/support/redis.ts";

interface LoadResult {
  requests: { average: number };
  latency: { p99: number };
  throughput: { average: number };
  statusCodeStats?: Record<string, { count: number }>;
}
// autocannon ships no type declarations: give the one call used here its shape.
const autocannon = createRequire(import.meta.url)("autocannon") as (opts: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
}) => Promise<LoadResult>;

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "5000" },
    seconds: { type: "string", default: "5" },
    connections: { type: "string", default: "20" },
  },
});
const EVENTS = Number(values.events);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);

const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "Australia/Sydney",
  "Asia/Kolkata",
  "UTC",
];
const LOREM =
  "Monthly gathering of the local user group. Talks, demos and a chance to meet other members. " +
  "Doors open half an hour early; the venue is step-free. Café Überall, 2nd floor — 🎉 welcome!";

function records(n: number): ImportedEventRecord[] {
  const out: ImportedEventRecord[] = [];
  const base = Date.UTC(2026, 0, 5, 17, 0);
  for (let i = 0; i < n; i++) {
    const start = base + i * 5 * 3_600_000;
    const allDay = i % 10 === 0;
    const series = i % 4 === 0;
    const uid = series
      ? `series-${Math.floor(i / 40)}@bench.example`
      : `event-${i}@bench.example`;
    const event: CalendarEvent = {
      key: uid,
      uid,
      summary: `Meetup number ${i}`,
      description: `${LOREM}\n\nAgenda item ${i % 7}.`,
      location: `Room ${i % 30}, Example Street ${i % 200}, 10115 Berlin`,
      status: i % 25 === 0 ? "cancelled" : "confirmed",
      sequence: i % 3,
      categories: ["meetup"],
      time: allDay
        ? {
            kind: "allDay",
            startDate: new Date(start).toISOString().slice(0, 10),
            endDate: new Date(start + 86_400_000).toISOString().slice(0, 10),
          }
        : {
            kind: "timed",
            start: new Date(start).toISOString(),
            end: new Date(start + 2 * 3_600_000).toISOString(),
            timezone: ZONES[i % ZONES.length]!,
          },
    };
    if (i % 3 === 0)
      event.geo = {
        lat: 52.52 + (i % 100) / 1000,
        lon: 13.4 + (i % 100) / 1000,
      };
    if (series) {
      event.recurrenceId = allDay
        ? event.time.kind === "allDay"
          ? event.time.startDate
          : undefined
        : new Date(start).toISOString();
      event.key = `${uid}@${event.recurrenceId}`;
    }
    out.push({
      feedId: "bench",
      siteId: "forum",
      eventKey: event.key,
      externalId: `dics-${i}`,
      topicId: 1000 + i,
      postId: 5000 + i,
      categoryId: 3,
      renderHash: "h",
      revision: 1 + (i % 5),
      event,
      state: event.status === "cancelled" ? "cancelled" : "active",
      updatedAt: "2026-01-01T00:00:00.000Z",
    });
  }
  return out;
}

const site: SiteConfig = {
  id: "forum",
  baseUrl: "https://forum.example.org",
  apiUsername: "system",
  apiKey: "unused",
  requestsPerMinute: 60,
  timezone: "UTC",
  calendarPlugin: false,
};
const config: ExportConfig = {
  name: "bench",
  siteId: "forum",
  title: "Benchmark events",
  categoryIds: [3],
  includeSubcategories: false,
  tags: [],
  includeCalendarPlugin: false,
  refreshMinutes: 30,
};

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function measureBuild(recs: ImportedEventRecord[]) {
  const times: number[] = [];
  let peakHeap = 0;
  const sampler = setInterval(
    () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)),
    5
  );
  const heapBefore = process.memoryUsage().heapUsed;
  let body = "";
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    body = buildIcs({
      config,
      siteBaseUrl: site.baseUrl,
      records: recs,
      pluginEvents: [],
    }).body;
    times.push(performance.now() - started);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  clearInterval(sampler);
  const zipStarted = performance.now();
  const bodies = await compressAll(body);
  const zipMs = performance.now() - zipStarted;
  times.sort((a, b) => a - b);
  console.log(`build: ${recs.length} events`);
  console.log(
    `  time        fastest ${times[0]!.toFixed(0)} ms, median ${times[1]!.toFixed(0)} ms of 3 runs`
  );
  console.log(
    `  compress    ${zipMs.toFixed(0)} ms (gzip + br, once per build)`
  );
  console.log(
    `  size        ${mb(bodies.identity.length)} plain, ${mb(bodies.gzip.length)} gzip, ${mb(bodies.br.length)} br`
  );
  console.log(
    `  memory      heap peak ${mb(peakHeap)} (+${mb(peakHeap - heapBefore)} over start), max RSS ${mb(process.resourceUsage().maxRSS * 1024)}`
  );
}

async function load(url: string, headers: Record<string, string>) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers,
  });
  const codes = Object.entries(result.statusCodeStats ?? {})
    .map(([code, s]) => `${code}×${s.count}`)
    .join(" ");
  return `${result.requests.average.toFixed(0)} req/s, p99 ${result.latency.p99} ms, ${mb(result.throughput.average)}/s (${codes})`;
}

async function main() {
  const recs = records(EVENTS);
  await measureBuild(recs);

  const redisServer = await startRedis();
  const redis = redisServer.client();
  const deps: ExportDeps = {
    redis,
    redisPrefix: "bench",
    sites: [site],
    exports: [config],
    logger: silentLogger(),
    records: { listAll: async () => recs },
    discourse: () => ({
      categories: async () => [{ id: 3, restricted: false }],
      topicIdsWithTag: async () => new Set<number>(),
      pluginEvents: async () => [],
    }),
  };
  const app = Fastify({ logger: false });
  try {
    await registerExportRoutes(app, deps);
    await createExportContext(deps).rebuild(config.name);
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const url = `http://127.0.0.1:${port}/ics/${config.name}.ics`;
    const first = await fetch(url, { headers: { "accept-encoding": "gzip" } });
    const etag = first.headers.get("etag") ?? "";
    await first.arrayBuffer();
    console.log(
      `serve: ${CONNECTIONS} connections, ${SECONDS} s per run, loopback`
    );
    console.log(
      `  full (gzip)       ${await load(url, { "accept-encoding": "gzip" })}`
    );
    console.log(
      `  If-None-Match     ${await load(url, { "accept-encoding": "gzip", "if-none-match": etag })}`
    );
  } finally {
    await app.close();
    redis.disconnect();
    await redisServer.stop();
  }
}

await main();
