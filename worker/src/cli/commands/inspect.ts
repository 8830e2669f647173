/**
 * `inspect <url-or-file>`: fetch and read a feed exactly as a sync would, and show the result.
 * Exit codes: 0 read without problems, 1 read with problems, 2 refused or unreadable.
 */
import { parseArgs } from "node:util";
import type { CalendarEvent, ParsedFeed } from "../../core/event.ts";
import { FeedError } from "../../ics/errors.ts";
import { fetchFeed } from "../../ics/fetch.ts";
import { parseFeedWithStats } from "../../ics/parse.ts";
import type { FeedStats } from "../../ics/parse.ts";
import { canonicalZone, pad, wallAt } from "../../ics/zones.ts";

const USAGE = `usage: discourse-ics inspect <url-or-file> [options]

Fetches an iCalendar feed (https/http/webcal URL or local file) and shows the events the
worker would import, then any problems found in the feed.

options:
  --json              print the result as JSON instead of a table
  --tz <Zone>         IANA zone to show times in, and to read floating times in when the
                      feed has no X-WR-TIMEZONE (default: the feed's zone, else UTC)
  --past-days <N>     include events up to N days ago (default 30)
  --future-days <N>   include events up to N days ahead (default 365)
  --allow-private     allow URLs that resolve to private/loopback addresses
                      (also spelled --allow-private-addresses, as sync spells it)
  -h, --help          show this help

exit status: 0 read without problems, 1 read with problems, 2 refused or unreadable`;

const DAY = 86_400_000;

function formatInstant(iso: string, zone: string): string {
  const w = wallAt(Date.parse(iso), zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

function row(e: CalendarEvent, zone: string): string[] {
  const when =
    e.time.kind === "allDay"
      ? [e.time.startDate, e.time.endDate, "yes"]
      : [formatInstant(e.time.start, zone), formatInstant(e.time.end, zone), "no"];
  return [...when, e.status, e.summary, e.location ?? "", e.key];
}

function cut(s: string, width: number): string {
  const chars = [...s];
  return chars.length <= width
    ? s + " ".repeat(width - chars.length)
    : chars.slice(0, width - 1).join("") + "…";
}

/** Renders a table; the flexible columns (summary, location, key) share what the terminal leaves. */
export function renderTable(feed: ParsedFeed, zone: string, columns: number): string {
  const header = [`start (${zone})`, "end", "all-day", "status", "summary", "location", "key"];
  const rows = feed.events.map((e) => row(e, zone));
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]!].length)));
  const fixed = widths.slice(0, 4).reduce((a, b) => a + b, 0) + 2 * 6;
  const room = Math.max(30, columns - fixed);
  const flex = [0.45, 0.25, 0.3].map((share, i) =>
    Math.max(8, Math.min(widths[4 + i]!, Math.floor(room * share))),
  );
  const w = [...widths.slice(0, 4), ...flex];
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : cut(c, w[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), line(w.map((n) => "-".repeat(n))), ...rows.map(line)].join("\n");
}

function toInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of days`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    console.error(`inspect: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  const target = args.positionals[0];
  if (!target || args.positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  let pastDays: number;
  let futureDays: number;
  let tz: string | undefined;
  try {
    pastDays = toInt(args.values["past-days"], 30, "--past-days");
    futureDays = toInt(args.values["future-days"], 365, "--future-days");
    if (args.values.tz !== undefined) {
      tz = canonicalZone(args.values.tz);
      if (!tz) throw new Error(`--tz "${args.values.tz}" is not an IANA time zone`);
    }
  } catch (err) {
    console.error(`inspect: ${(err as Error).message}`);
    return 2;
  }

  const now = Date.now();
  const window = { from: new Date(now - pastDays * DAY), to: new Date(now + futureDays * DAY) };
  let feed: ParsedFeed;
  let stats: FeedStats;
  try {
    const fetched = await fetchFeed(
      { url: target },
      {
        feedId: "inspect",
        allowPrivateAddresses:
          (args.values["allow-private"] || args.values["allow-private-addresses"]) ?? false,
      },
    );
    if (fetched.status !== "ok") throw new Error("unexpected not-modified answer");
    ({ feed, stats } = parseFeedWithStats(fetched.body, {
      feedId: "inspect",
      window,
      ...(tz ? { defaultTimezone: tz } : {}),
    }));
  } catch (err) {
    const message = err instanceof FeedError ? err.message : `feed "inspect": ${(err as Error).message}`;
    if (args.values.json) console.log(JSON.stringify({ error: message }, null, 2));
    else console.error(message);
    return 2;
  }

  const zone = tz ?? feed.calendarTimezone ?? "UTC";
  if (args.values.json) {
    console.log(
      JSON.stringify(
        { window: { from: window.from.toISOString(), to: window.to.toISOString() }, stats, ...feed },
        null,
        2,
      ),
    );
  } else {
    const title = feed.calendarName ? `"${feed.calendarName}"` : "feed";
    console.log(
      `${title}: ${stats.vevents} VEVENTs, ${feed.events.length} events between ` +
        `${window.from.toISOString().slice(0, 10)} and ${window.to.toISOString().slice(0, 10)}` +
        (feed.prodId ? ` (${feed.prodId})` : ""),
    );
    if (feed.events.length > 0) console.log(`\n${renderTable(feed, zone, process.stdout.columns ?? 160)}`);
    if (feed.problems.length > 0) {
      console.log(`\n${feed.problems.length} problem${feed.problems.length === 1 ? "" : "s"}:`);
      for (const p of feed.problems) console.log(`  [${p.code}] ${p.message}`);
    }
  }
  return feed.problems.length > 0 ? 1 : 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: "boolean" },
      tz: { type: "string" },
      "past-days": { type: "string" },
      "future-days": { type: "string" },
      "allow-private": { type: "boolean" },
      "allow-private-addresses": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
