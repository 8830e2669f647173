/**
 * Options of the `sync` command: flags and environment variables (including those of the Python
 * importer ics_to_discourse.py) turned into one SiteConfig and FeedConfig. Pure, for testing.
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import type { AdoptionMode, CancelledPolicy, FeedConfig, RemovedPolicy, SiteConfig } from "../core/feed.ts";
import { canonicalZone } from "../ics/zones.ts";
import { DEFAULT_TITLE_TEMPLATE } from "./title.ts";

export interface SyncCommandOptions {
  dryRun: boolean;
  json: boolean;
  progress: boolean | undefined;
  redisUrl: string;
  redisPrefix: string;
  allowPrivateAddresses: boolean;
  /** Service configuration file and feed id, when used instead of flags. */
  config?: { file: string; feedId: string };
  site?: SiteConfig;
  feed?: FeedConfig;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const SYNC_USAGE = `usage: discourse-ics sync [options]

Sync one iCalendar feed into a Discourse category once (for cron or systemd timers).

Feed and site (flags win over environment variables):
  --ics <url|path>            feed URL (https, http, webcal) or local file        ICS_URL
  --base-url <url>            Discourse address                                  DISCOURSE_BASE_URL
  --api-username <name>       acting user, staff recommended (default system)    DISCOURSE_API_USERNAME
                              the API key is read only from                      DISCOURSE_API_KEY
  --category-id <id>          target category                                    DISCOURSE_CATEGORY_ID
  --static-tags <a,b>         tags for new topics (at most 5)                    DISCOURSE_DEFAULT_TAGS
  --site-tz <zone>            IANA zone for shown times and floating times       SITE_TZ (default UTC)
  --calendar-plugin           render discourse-post-event [event] BBCode
  --time-only-dedupe          adopt existing topics by time alone (not time and location)
  --no-adoption               do not scan the category: adopt no existing topics
  --feed-id <id>              name for logs and state (default: derived from the URL)
  --title-template <t>        default "${DEFAULT_TITLE_TEMPLATE}" ({summary} {date} {time} {location} {feed})
  --past-days <n>             window into the past (default 30)
  --future-days <n>           window into the future (default 365)
  --removed <policy>          keep|close|archive|unlist|delete for events gone from the feed (default keep)
  --cancelled <policy>        note|close for cancelled events (default note)
  --allow-mass-removal        apply removals even when the feed lost most of its events
  --requests-per-minute <n>   admin API budget of the whole site (default 60)
Or from the service configuration:
  --config <file> --feed <id>
Run:
  --dry-run                   print the plan (action, event, reason); write nothing
  --json                      print the report as JSON
  --no-progress               no progress bar even on a terminal
  --allow-private-addresses   allow feeds on loopback/private addresses (or --allow-private)
Environment: REDIS_URL (default redis://127.0.0.1:6379), REDIS_PREFIX (default dics).
Exit codes: 0 ok, 1 some events failed, 2 configuration or feed error, 3 another run holds the feed.`;

const REMOVED: RemovedPolicy[] = ["keep", "close", "archive", "unlist", "delete"];
const CANCELLED: CancelledPolicy[] = ["note", "close"];

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number, got "${value}"`);
  return n;
}

export function parseSyncOptions(
  argv: string[],
  env: Record<string, string | undefined>,
): SyncCommandOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        help: { type: "boolean", short: "h" },
        ics: { type: "string" },
        "base-url": { type: "string" },
        "api-username": { type: "string" },
        "category-id": { type: "string" },
        "static-tags": { type: "string" },
        "site-tz": { type: "string" },
        "calendar-plugin": { type: "boolean" },
        "time-only-dedupe": { type: "boolean" },
        "no-adoption": { type: "boolean" },
        "feed-id": { type: "string" },
        "title-template": { type: "string" },
        "past-days": { type: "string" },
        "future-days": { type: "string" },
        removed: { type: "string" },
        cancelled: { type: "string" },
        "allow-mass-removal": { type: "boolean" },
        "requests-per-minute": { type: "string" },
        config: { type: "string" },
        feed: { type: "string" },
        "dry-run": { type: "boolean" },
        json: { type: "boolean" },
        "no-progress": { type: "boolean" },
        "allow-private-addresses": { type: "boolean" },
        // inspect's spelling, which the fetcher's refusal message names
        "allow-private": { type: "boolean" },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) return "help";
  const common = {
    dryRun: v["dry-run"] ?? false,
    json: v.json ?? false,
    progress: v["no-progress"] ? false : undefined,
    redisUrl: env.REDIS_URL || "redis://127.0.0.1:6379",
    redisPrefix: env.REDIS_PREFIX || "dics",
    allowPrivateAddresses: (v["allow-private-addresses"] || v["allow-private"]) ?? false,
  };
  if (v.config || v.feed) {
    if (!v.config || !v.feed) throw new UsageError("--config and --feed go together");
    return { ...common, config: { file: v.config, feedId: v.feed } };
  }

  const ics = v.ics ?? env.ICS_URL;
  const baseUrl = (v["base-url"] ?? env.DISCOURSE_BASE_URL ?? "").replace(/\/+$/, "");
  const apiKey = env.DISCOURSE_API_KEY ?? "";
  const category = v["category-id"] ?? env.DISCOURSE_CATEGORY_ID;
  const missing = [
    !ics && "--ics (or ICS_URL)",
    !baseUrl && "--base-url (or DISCOURSE_BASE_URL)",
    !apiKey && "DISCOURSE_API_KEY",
    !category && "--category-id (or DISCOURSE_CATEGORY_ID)",
  ].filter(Boolean);
  if (missing.length) throw new UsageError(`missing ${missing.join(", ")}`);
  let host: string;
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error("scheme");
    host = u.hostname;
  } catch {
    throw new UsageError(`--base-url must be an http(s) address, got "${baseUrl}"`);
  }
  const categoryId = wholeNumber("--category-id", category, 0);
  if (categoryId < 1) throw new UsageError("--category-id must be a category id (a positive number)");
  const timezone = v["site-tz"] ?? env.SITE_TZ ?? "UTC";
  if (canonicalZone(timezone) === undefined)
    throw new UsageError(`--site-tz "${timezone}" is not a known IANA time zone`);
  const removed = (v.removed ?? "keep") as RemovedPolicy;
  if (!REMOVED.includes(removed)) throw new UsageError(`--removed must be one of ${REMOVED.join(", ")}`);
  const cancelled = (v.cancelled ?? "note") as CancelledPolicy;
  if (!CANCELLED.includes(cancelled))
    throw new UsageError(`--cancelled must be one of ${CANCELLED.join(", ")}`);
  const adoption: AdoptionMode = v["no-adoption"]
    ? "off"
    : v["time-only-dedupe"]
      ? "time-only"
      : "time-and-location";
  const tags = (v["static-tags"] ?? env.DISCOURSE_DEFAULT_TAGS ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const feedId = v["feed-id"] ?? "feed-" + createHash("sha1").update(ics!).digest("hex").slice(0, 10);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(feedId))
    throw new UsageError("--feed-id may use letters, digits, - and _ only");
  const site: SiteConfig = {
    id: host,
    baseUrl,
    apiUsername: v["api-username"] ?? env.DISCOURSE_API_USERNAME ?? "system",
    apiKey,
    requestsPerMinute: wholeNumber("--requests-per-minute", v["requests-per-minute"], 60),
    timezone,
    calendarPlugin: v["calendar-plugin"] ?? false,
  };
  const feed: FeedConfig = {
    id: feedId,
    source: { url: ics! },
    siteId: site.id,
    categoryId,
    tags,
    timezone,
    window: {
      pastDays: wholeNumber("--past-days", v["past-days"], 30),
      futureDays: wholeNumber("--future-days", v["future-days"], 365),
    },
    schedule: { everySeconds: 3600 },
    titleTemplate: v["title-template"] ?? DEFAULT_TITLE_TEMPLATE,
    cancelled,
    removed,
    adoption,
    allowMassRemoval: v["allow-mass-removal"] ?? false,
  };
  return { ...common, site, feed };
}
