/**
 * One sync run of one feed: fetch (conditional), parse, plan, carry out. The worker service (BullMQ)
 * and the CLI both call syncFeed; the caller holds the feed lock.
 */
import type { Redis } from "ioredis";
import type { ParsedFeed } from "../core/event.ts";
import {
  emptyCounts,
  type FeedConfig,
  type SiteConfig,
  type SyncFailure,
  type SyncReport,
} from "../core/feed.ts";
import { silentLogger, type Logger } from "../core/logger.ts";
import { createDiscourseClient } from "../discourse/client.ts";
import { DiscourseError } from "../discourse/errors.ts";
import { createSiteRateLimiter } from "../discourse/rate-limiter.ts";
import { FeedError } from "../ics/errors.ts";
import { fetchFeed, type FetchOptions } from "../ics/fetch.ts";
import { parseFeed } from "../ics/parse.ts";
import type { TopicCandidate } from "./adoption.ts";
import { executeAction } from "./execute.ts";
import { planSync, type PlannedAction } from "./planner.ts";
import { scanCategory } from "./scan-category.ts";
import { createStateStore } from "./state-store.ts";

export interface SyncDeps {
  redis: Redis;
  /** Default "dics"; every key starts with it (with Redis Cluster use a hash tag such as "{dics}"). */
  redisPrefix?: string;
  logger?: Logger;
  now?: () => Date;
  /** Plan only: no writes to Discourse or Redis (reads of the category for adoption still happen). */
  dryRun?: boolean;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
  /** Stops between API calls (graceful shutdown); the report says what was done. */
  signal?: AbortSignal;
  fetchOptions?: Partial<FetchOptions>;
  /** Discourse client tuning (tests shorten backoff). */
  clientOptions?: { backoffMs?: number; timeoutMs?: number; maxAttempts?: number };
}

export type SyncResult = SyncReport & { plan?: PlannedAction[]; requests?: number };

const DAY_MS = 86_400_000;
/** Consecutive actions without any answer from Discourse after which the run gives up. */
const MAX_UNANSWERED = 3;

function missingCategory(feed: FeedConfig, site: SiteConfig): string {
  return `category ${feed.categoryId} was not found on site "${site.id}" (or the API user cannot see it)`;
}

export function syncWindow(feed: FeedConfig, now: Date): { from: Date; to: Date } {
  return {
    from: new Date(now.getTime() - feed.window.pastDays * DAY_MS),
    to: new Date(now.getTime() + feed.window.futureDays * DAY_MS),
  };
}

/**
 * Only events about to be created could already exist as someone else's topic, and only with
 * adoption on. With adoption off, a topic this worker made but forgot (lost Redis, a run cut off
 * after the create) is still found: the create is refused for its external_id, which is looked up.
 */
function needsScan(feed: FeedConfig, plan: PlannedAction[]): boolean {
  return feed.adoption !== "off" && plan.some((a) => a.kind === "create");
}

/**
 * A feed with adoption off and nothing in the state store is either new or lost its state (a flushed
 * Redis). Without the category scan, one lookup of the first new event's external_id tells them
 * apart: if its topic exists, every new event is looked up before it is created. (Creating anyway
 * would also end well, since Discourse refuses a second topic with the same external_id, but within
 * two minutes Discourse replays the earlier answer, and the run would report topics as created.)
 */
async function markRecovery(
  client: ReturnType<typeof createDiscourseClient>,
  plan: PlannedAction[],
): Promise<PlannedAction[]> {
  const first = plan.find((a) => a.kind === "create");
  if (!first || !(await client.topicByExternalId(first.externalId))) return plan;
  return plan.map((a) => (a.kind === "create" ? { ...a, recover: true } : a));
}

export async function syncFeed(feed: FeedConfig, site: SiteConfig, deps: SyncDeps): Promise<SyncResult> {
  const now = deps.now ?? (() => new Date());
  const log = (deps.logger ?? silentLogger()).child({ feedId: feed.id, siteId: site.id });
  const prefix = deps.redisPrefix ?? "dics";
  const store = createStateStore(deps.redis, prefix);
  const startedAt = now();
  const counts = emptyCounts();
  const failures: SyncFailure[] = [];
  const report = (outcome: SyncReport["outcome"], extra: Partial<SyncResult> = {}): SyncResult => ({
    feedId: feed.id,
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    outcome,
    counts,
    failures,
    feedProblems: [],
    ...extra,
  });
  const progress = (phase: string, done: number, total: number) => deps.onProgress?.({ phase, done, total });

  // 1. fetch: validators are only trusted within the same day, since the window moves daily
  progress("fetch", 0, 1);
  const today = startedAt.toISOString().slice(0, 10);
  const window = syncWindow(feed, startedAt);
  const fetchState = await store.getFetchState(feed.id);
  const sameDay = fetchState.day === today && !deps.dryRun;
  let parsed: ParsedFeed;
  let fetched: { etag?: string; lastModified?: string; hash: string };
  try {
    const result = await fetchFeed(feed.source, {
      feedId: feed.id,
      ...(sameDay && fetchState.etag ? { etag: fetchState.etag } : {}),
      ...(sameDay && fetchState.lastModified ? { lastModified: fetchState.lastModified } : {}),
      ...(sameDay && fetchState.hash ? { previousHash: fetchState.hash } : {}),
      ...deps.fetchOptions,
    });
    if (result.status === "not-modified") {
      log.info("feed not modified; nothing to do");
      return report("not-modified");
    }
    fetched = {
      hash: result.hash,
      ...(result.etag ? { etag: result.etag } : {}),
      ...(result.lastModified ? { lastModified: result.lastModified } : {}),
    };
    progress("parse", 0, 1);
    parsed = parseFeed(result.body, {
      feedId: feed.id,
      defaultTimezone: feed.timezone ?? site.timezone,
      window,
    });
  } catch (err) {
    if (!(err instanceof FeedError)) throw err;
    failures.push({ reason: err.message });
    log.error({ code: err.code }, err.message);
    return report("failed");
  }
  const feedProblems = parsed.problems.map((p) => ({
    ...(p.uid ? { uid: p.uid } : {}),
    code: p.code,
    message: p.message,
  }));

  // 2. plan; the category is only read when there is something new that might already exist
  const records = await store.list(feed.id);
  const limiter = createSiteRateLimiter(deps.redis, site.id, site.requestsPerMinute, prefix);
  const client = createDiscourseClient(site, {
    limiter,
    logger: log,
    signal: deps.signal,
    ...deps.clientOptions,
  });
  const input = { site, feed, events: parsed.events, records, window, now: startedAt };
  let plan = planSync(input);
  if (needsScan(feed, plan)) {
    progress("scan", 0, 1);
    let candidates: TopicCandidate[] = [];
    try {
      candidates = await scanCategory(client, store, feed, new Set(records.map((r) => r.topicId)), {
        signal: deps.signal,
        readOnly: deps.dryRun ?? false,
        today,
      });
    } catch (err) {
      if (deps.signal?.aborted) {
        failures.push({ reason: "stopped before any change was applied" });
        return report("partial", { feedProblems, requests: client.requestCount });
      }
      if (!(err instanceof DiscourseError)) throw err;
      // the category list is the first request of a run with news: if it fails, so would the rest
      const reason = err.status === 404 ? missingCategory(feed, site) : err.message;
      failures.push({ reason });
      log.error({ status: err.status }, reason);
      return report("failed", { feedProblems, requests: client.requestCount });
    }
    plan = planSync({ ...input, candidates });
  }
  if (feed.adoption === "off" && records.length === 0 && !deps.signal?.aborted) {
    try {
      plan = await markRecovery(client, plan);
    } catch (err) {
      if (!(err instanceof DiscourseError)) throw err;
      failures.push({ reason: err.message });
      log.error({ status: err.status }, err.message);
      return report("failed", { feedProblems, requests: client.requestCount });
    }
  }
  if (deps.dryRun) {
    for (const a of plan) counts[countFor(a)]++;
    return report("ok", { feedProblems, plan, requests: client.requestCount });
  }

  // 3. carry out, one action at a time, stopping between API calls when asked to
  const work = plan.filter((a) => a.kind !== "unchanged" && a.kind !== "skip");
  counts.unchanged = plan.filter((a) => a.kind === "unchanged").length;
  counts.skipped = plan.filter((a) => a.kind === "skip").length;
  let done = 0;
  let interrupted = false;
  let fatal: DiscourseError | undefined;
  let unanswered = 0;
  for (const action of work) {
    if (deps.signal?.aborted) {
      interrupted = true;
      break;
    }
    progress("sync", done, work.length);
    try {
      const result = await executeAction({ client, site, feed, now }, action);
      counts[result.count]++;
      if (result.record) await store.put(result.record);
      if (result.note && result.count === "failed") {
        failures.push({ eventKey: action.eventKey, summary: action.summary, reason: result.note });
      } else if (result.note) {
        feedProblems.push({
          uid: action.event?.uid ?? action.eventKey,
          code: "topic-missing",
          message: result.note,
        });
      }
      log.debug({ action: action.kind, eventKey: action.eventKey, reason: action.reason }, "applied");
    } catch (err) {
      // shutdown while waiting for the rate limiter: nothing was sent for this action
      if (deps.signal?.aborted) {
        interrupted = true;
        break;
      }
      if (!(err instanceof DiscourseError)) throw err;
      counts.failed++;
      const reason = err.unknownCategory ? missingCategory(feed, site) : err.discourseMessage;
      failures.push({ eventKey: action.eventKey, summary: action.summary, reason });
      log.warn({ eventKey: action.eventKey, action: action.kind, status: err.status }, err.message);
      // a bad key, a missing permission, a category that does not exist or a forum that does not
      // answer fails every action the same way: stop early instead of retrying each one
      unanswered = err.status === 0 ? unanswered + 1 : 0;
      const denied =
        err.status === 403 && (err.errorType === "invalid_access" || err.errorType === "not_logged_in");
      if (denied || err.unknownCategory || unanswered >= MAX_UNANSWERED) {
        fatal = err;
        done++;
        break;
      }
    }
    done++;
  }
  progress("sync", done, work.length);

  if (interrupted)
    failures.push({
      reason: `stopped before finishing: ${work.length - done} of ${work.length} changes not applied`,
    });
  const clean = failures.length === 0;
  // held-back removals must be looked at again even if the feed does not change
  if (clean && !plan.some((a) => a.held)) await store.putFetchState(feed.id, { ...fetched, day: today });
  else await store.clearFetchState(feed.id);
  const anyDone = done > counts.failed;
  const outcome = clean ? "ok" : fatal && !anyDone ? "failed" : "partial";
  log.info({ outcome, counts, requests: client.requestCount }, "sync finished");
  return report(outcome, { feedProblems, requests: client.requestCount });
}

function countFor(a: PlannedAction): keyof ReturnType<typeof emptyCounts> {
  const map = {
    create: "created",
    update: "updated",
    adopt: "adopted",
    unchanged: "unchanged",
    cancel: "cancelled",
    remove: "removed",
    skip: "skipped",
  } as const;
  return map[a.kind];
}
