/**
 * `discourse-ics demo`: the whole sync on one machine with nothing to set up. Starts the Discourse
 * emulator in this process, shows the dry-run plan for the bundled sample feed, syncs it for real,
 * syncs again to show that nothing changes, and prints the requests Discourse received.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { startEmulator } from "../../../emulator/index.ts";
import type { FeedConfig, SiteConfig } from "../../core/feed.ts";
import { spanMs } from "../../core/span-ms.ts";
import { redactUrl } from "../../core/redact-url.ts";
import { parseFeed } from "../../ics/parse.ts";
import { formatPlan, formatReport } from "../../sync/plan-format.ts";
import { planSync } from "../../sync/planner.ts";
import { findOrStartRedis } from "../../sync/private-redis.ts";
import { syncFeed, syncWindow } from "../../sync/run-sync.ts";
import { DEFAULT_TITLE_TEMPLATE } from "../../sync/title.ts";

const SAMPLE = fileURLToPath(new URL("../../../samples/community-events.ics", import.meta.url));
const DAY = 86_400_000;

const USAGE = `usage: discourse-ics demo [feed.ics] [--calendar-plugin] [--rate-limit N]

Runs the sync against an in-process Discourse emulator (default feed: samples/community-events.ics).
Uses REDIS_URL, else Redis on 127.0.0.1:6379, else a private redis-server; without any, only the plan.`;

function byRoute(requests: { route: string }[]): string {
  const counts: Record<string, number> = {};
  for (const r of requests) counts[r.route] = (counts[r.route] ?? 0) + 1;
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return rows.length
    ? rows.map(([route, n]) => `    ${String(n).padStart(4)}  ${route}`).join("\n")
    : "    (none)";
}

/** The window is pinned to the feed's first event so the demo shows the same thing on any date. */
function demoClock(file: string): () => Date {
  const wide = { from: new Date("2000-01-01T00:00:00Z"), to: new Date("2100-01-01T00:00:00Z") };
  const events = parseFeed(readFileSync(file), {
    feedId: "demo",
    window: wide,
    maxOccurrencesPerSeries: 50,
  }).events;
  const starts = events.map((e) => spanMs(e.time).start);
  const first = starts.length ? Math.min(...starts) : Date.now();
  const at = new Date(first - DAY);
  return () => at;
}

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "calendar-plugin": { type: "boolean" },
        "rate-limit": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    console.error(`discourse-ics demo: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = args.positionals[0] ?? SAMPLE;
  if (!existsSync(file)) {
    console.error(`discourse-ics demo: no feed at ${file}`);
    return 2;
  }
  const perMinute = Number(args.values["rate-limit"] ?? 60);
  const calendarPlugin = args.values["calendar-plugin"] ?? false;
  const now = args.positionals[0] ? () => new Date() : demoClock(file);

  const emu = await startEmulator({
    adminRequestsPerMinute: perMinute > 0 ? perMinute : null,
    calendarPlugin,
  });
  const site: SiteConfig = {
    id: "demo",
    baseUrl: emu.url,
    apiUsername: "system",
    apiKey: emu.adminApiKey,
    requestsPerMinute: perMinute,
    timezone: "Europe/Berlin",
    calendarPlugin,
  };
  const feed: FeedConfig = {
    id: "community-events",
    name: "Community events",
    source: { url: file },
    siteId: "demo",
    categoryId: 3,
    tags: ["events"],
    window: { pastDays: 7, futureDays: 365 },
    schedule: { everySeconds: 3600 },
    titleTemplate: DEFAULT_TITLE_TEMPLATE,
    cancelled: "note",
    removed: "close",
    adoption: "time-and-location",
    allowMassRemoval: false,
  };
  console.log(
    `discourse-ics demo\n  Discourse emulator: ${emu.url} (calendar plugin ${calendarPlugin ? "on" : "off"}, ${perMinute > 0 ? `${perMinute} admin requests/min` : "no rate limit"})`,
  );
  console.log(
    `  feed: ${file}\n  window: ${feed.window.pastDays} days before to ${feed.window.futureDays} days after ${now().toISOString().slice(0, 10)}`,
  );

  const redisInfo = await findOrStartRedis(process.env);
  try {
    if (!redisInfo) {
      console.log(
        "\nNo Redis answered (REDIS_URL unset, nothing on 127.0.0.1:6379) and redis-server could not be started.",
      );
      console.log(
        "Showing the plan only; install redis-server (e.g. apt install redis-server) for the full demo.\n",
      );
      const window = syncWindow(feed, now());
      const parsed = parseFeed(readFileSync(file), {
        feedId: feed.id,
        defaultTimezone: site.timezone,
        window,
      });
      console.log(formatPlan(planSync({ site, feed, events: parsed.events, records: [], window })));
      return 0;
    }
    console.log(
      `  Redis: ${redisInfo.origin === "private" ? `private redis-server at ${redisInfo.url}` : redactUrl(redisInfo.url)}`,
    );
    const redis = new Redis(redisInfo.url, { maxRetriesPerRequest: 3 });
    const prefix = `dics-demo-${process.pid}`;
    const deps = { redis, redisPrefix: prefix, now };
    try {
      const dry = await syncFeed(feed, site, { ...deps, dryRun: true });
      console.log(`\n1) Dry run: the plan (nothing written)\n${formatPlan(dry.plan ?? [])}`);
      console.log(formatReport(dry).replace(/^feed \S+: ok/, "   dry run"));

      let mark = emu.requests().length;
      const first = await syncFeed(feed, site, deps);
      const firstRequests = byRoute(emu.requests().slice(mark));
      console.log(`\n2) First sync\n${formatReport(first)}\n  requests by route:\n${firstRequests}`);
      const topics = emu.topics().filter((t) => t.categoryId === 3 && t.externalId);
      for (const t of topics.slice(0, 5)) console.log(`    topic ${t.id}: ${t.title}`);
      if (topics.length > 5) console.log(`    … ${topics.length - 5} more topics`);

      // forget the fetch validators so the run plans every event again: all of them come out unchanged
      await redis.del(`${prefix}:sync:${feed.id}:fetch`);
      mark = emu.requests().length;
      const second = await syncFeed(feed, site, deps);
      const secondRequests = byRoute(emu.requests().slice(mark));
      console.log(
        `\n3) Second sync, feed unchanged\n${formatReport(second)}\n  requests by route:\n${secondRequests}`,
      );
      mark = emu.requests().length;
      const third = await syncFeed(feed, site, deps);
      const thirdCount = emu.requests().length - mark;
      console.log(`\n4) Third sync, same bytes as last time: ${third.outcome} (${thirdCount} requests)`);
      return first.outcome === "ok" && second.counts.failed === 0 ? 0 : 1;
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  } finally {
    await redisInfo?.stop();
    await emu.close();
  }
}
