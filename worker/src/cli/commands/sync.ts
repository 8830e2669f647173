/**
 * `discourse-ics sync`: one feed, once, without the queue. A drop-in for cron or systemd timers and
 * for the Python importer's environment variables and flags.
 */
import { SingleBar, Presets } from "cli-progress";
import { Redis } from "ioredis";
import type { FeedConfig, SiteConfig } from "../../core/feed.ts";
import { createLogger } from "../../core/logger.ts";
import { redactUrl } from "../../core/redact-url.ts";
import { parseSyncOptions, SYNC_USAGE, UsageError, type SyncCommandOptions } from "../../sync/cli-options.ts";
import { withFeedLock } from "../../sync/feed-lock.ts";
import { formatPlan, formatReport } from "../../sync/plan-format.ts";
import { syncFeed } from "../../sync/run-sync.ts";

export const EXIT = { ok: 0, partial: 1, config: 2, locked: 3 } as const;

async function resolveConfig(o: SyncCommandOptions): Promise<{
  site: SiteConfig;
  feed: FeedConfig;
  redisUrl: string;
  prefix: string;
  fetch: { allowPrivateAddresses: boolean; allowedHosts: string[] };
}> {
  if (!o.config)
    return {
      site: o.site!,
      feed: o.feed!,
      redisUrl: o.redisUrl,
      prefix: o.redisPrefix,
      fetch: { allowPrivateAddresses: false, allowedHosts: [] },
    };
  const { loadConfig } = await import("../../service/config.ts");
  const config = loadConfig(o.config.file);
  const feed = config.feeds.find((f) => f.id === o.config!.feedId);
  if (!feed)
    throw new UsageError(
      `feed "${o.config.feedId}" is not in ${o.config.file} (feeds: ${config.feeds.map((f) => f.id).join(", ") || "none"})`,
    );
  const site = config.sites.find((s) => s.id === feed.siteId);
  if (!site) throw new UsageError(`site "${feed.siteId}" of feed "${feed.id}" is not configured`);
  return {
    site,
    feed,
    // loadConfig has already let REDIS_URL override the file; REDIS_PREFIX is the sync command's own
    redisUrl: config.redis.url,
    prefix: process.env.REDIS_PREFIX ? o.redisPrefix : config.redis.prefix,
    // The config file's fetch section applies to one-off runs exactly as to the service's runs.
    fetch: config.fetch,
  };
}

async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    connectTimeout: 5000,
    retryStrategy: (n) => (n > 3 ? null : 200),
  });
  // ioredis reports why it failed (refused, unknown host, auth) only as "error" events
  let lastError: Error | undefined;
  redis.on("error", (err: Error) => (lastError = err));
  try {
    await redis.connect();
  } catch (err) {
    throw lastError ?? err;
  }
  return redis;
}

export async function run(argv: string[]): Promise<number> {
  let options: SyncCommandOptions | "help";
  let resolved: Awaited<ReturnType<typeof resolveConfig>>;
  try {
    options = parseSyncOptions(argv, process.env);
    if (options === "help") {
      console.log(SYNC_USAGE);
      return EXIT.ok;
    }
    resolved = await resolveConfig(options);
  } catch (err) {
    console.error(`discourse-ics sync: ${(err as Error).message}`);
    if (err instanceof UsageError) console.error("Run with --help for the options.");
    return EXIT.config;
  }
  const { site, feed } = resolved;
  const tty = Boolean(process.stderr.isTTY) && options.progress !== false && !options.json;
  const logger = createLogger({ level: tty ? "warn" : undefined, destination: process.stderr });

  let redis: Redis;
  try {
    redis = await connectRedis(resolved.redisUrl);
  } catch (err) {
    console.error(
      `discourse-ics sync: cannot reach Redis at ${redactUrl(resolved.redisUrl)}: ${(err as Error).message}`,
    );
    return EXIT.config;
  }

  const controller = new AbortController();
  const stop = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const bar = tty
    ? new SingleBar(
        { format: "{phase} [{bar}] {value}/{total}", clearOnComplete: true, stream: process.stderr },
        Presets.shades_classic,
      )
    : undefined;
  let barStarted = false;
  try {
    const result = await withFeedLock(redis, resolved.prefix, feed.id, () =>
      syncFeed(feed, site, {
        redis,
        redisPrefix: resolved.prefix,
        logger,
        dryRun: options.dryRun,
        signal: controller.signal,
        fetchOptions: {
          ...resolved.fetch,
          ...(options.allowPrivateAddresses ? { allowPrivateAddresses: true } : {}),
        },
        onProgress: (p) => {
          if (!bar) return;
          if (!barStarted) {
            bar.start(p.total, p.done, { phase: p.phase });
            barStarted = true;
          }
          bar.setTotal(p.total);
          bar.update(p.done, { phase: p.phase });
        },
      }),
    );
    bar?.stop();
    if (result === "locked") {
      console.error(`discourse-ics sync: feed "${feed.id}" is being synced by another run`);
      return EXIT.locked;
    }
    if (options.json)
      console.log(
        JSON.stringify(
          {
            ...result,
            plan: result.plan?.map((a) => ({
              action: a.kind,
              event: a.eventKey,
              summary: a.summary,
              reason: a.reason,
            })),
          },
          null,
          2,
        ),
      );
    else {
      if (result.plan)
        console.log(`Plan for feed ${feed.id} (dry run, nothing written):\n${formatPlan(result.plan)}\n`);
      console.log(formatReport(result));
    }
    if (result.outcome === "failed") return EXIT.config;
    return result.outcome === "partial" ? EXIT.partial : EXIT.ok;
  } catch (err) {
    bar?.stop();
    console.error(`discourse-ics sync: feed "${feed.id}": ${(err as Error).message}`);
    return EXIT.partial;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    redis.disconnect();
  }
}
