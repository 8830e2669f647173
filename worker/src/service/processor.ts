/**
 * The queue's processor: a thin adapter from a BullMQ job to one sync run. It holds the feed lock (a feed
 * never runs twice at once, across processes), passes the shutdown signal to the sync engine, reports
 * progress, records the run in the history, and turns outcomes into job results or retries.
 */
import { DelayedError } from "bullmq";
import type { FeedConfig, SiteConfig, SyncReport } from "../core/feed.ts";
import { emptyCounts } from "../core/feed.ts";
import type { Logger } from "../core/logger.ts";
import type { RunHistory, RunOutcome, RunRecord } from "./run-history.ts";
import type { SyncJobData } from "./sync-queue.ts";

export interface SyncRunOptions {
  signal: AbortSignal;
  onProgress: (p: { phase: string; done: number; total: number }) => void;
}

/** What the processor needs of the sync engine (syncFeed with its Redis and logger already bound). */
export type SyncFn = (feed: FeedConfig, site: SiteConfig, opts: SyncRunOptions) => Promise<SyncReport>;
export type FeedLockFn = <T>(feedId: string, fn: () => Promise<T>) => Promise<T | "locked">;

export interface ProcessorDeps {
  getFeed(feedId: string): Promise<FeedConfig | undefined>;
  getSite(siteId: string): SiteConfig | undefined;
  sync: SyncFn;
  withFeedLock: FeedLockFn;
  history: RunHistory;
  logger: Logger;
  /** Aborted on SIGTERM/SIGINT: the run stops between API calls and the job is put back for later. */
  shutdown: AbortSignal;
  onRun?: (run: RunRecord) => void;
  now?: () => Date;
}

export interface SyncJob {
  id?: string;
  data: SyncJobData;
  attemptsMade: number;
  updateProgress(progress: object): Promise<void>;
  moveToDelayed(timestamp: number, token?: string): Promise<void>;
}

export interface SyncJobResult {
  feedId: string;
  outcome: RunOutcome;
  reason?: string;
  counts: SyncReport["counts"];
  failures: number;
}

const PROGRESS_EVERY_MS = 500;

export class SyncRunFailedError extends Error {
  constructor(feedId: string, reason: string) {
    super(`feed ${feedId}: sync failed: ${reason}`);
    this.name = "SyncRunFailedError";
  }
}

export function createSyncProcessor(deps: ProcessorDeps) {
  const now = deps.now ?? (() => new Date());
  return async function processSyncJob(job: SyncJob, token?: string): Promise<SyncJobResult> {
    const { feedId } = job.data;
    const log = deps.logger.child({ feedId, jobId: job.id });
    const startedAt = now();
    const base = {
      feedId,
      ...(job.id ? { jobId: job.id } : {}),
      trigger: job.data.trigger,
      attempt: job.attemptsMade + 1,
      startedAt: startedAt.toISOString(),
    };
    const finish = async (outcome: RunOutcome, extra: Partial<RunRecord> = {}): Promise<RunRecord> => {
      const end = now();
      const run: RunRecord = {
        ...base,
        finishedAt: end.toISOString(),
        durationMs: end.getTime() - startedAt.getTime(),
        outcome,
        counts: emptyCounts(),
        failures: [],
        feedProblems: 0,
        ...extra,
      };
      await deps.history.record(run);
      deps.onRun?.(run);
      return run;
    };
    const result = (run: RunRecord): SyncJobResult => ({
      feedId,
      outcome: run.outcome,
      ...(run.reason ? { reason: run.reason } : {}),
      counts: run.counts,
      failures: run.failures.length,
    });

    const feed = await deps.getFeed(feedId);
    if (!feed) return result(await finish("skipped", { reason: "feed is no longer configured" }));
    const site = deps.getSite(feed.siteId);
    if (!site) return result(await finish("failed", { reason: `site "${feed.siteId}" is not configured` }));

    let lastProgress = 0;
    const onProgress = (p: { phase: string; done: number; total: number }) => {
      const t = Date.now();
      if (t - lastProgress < PROGRESS_EVERY_MS && p.done !== p.total) return;
      lastProgress = t;
      job.updateProgress(p).catch(() => {});
    };

    let report: SyncReport | "locked";
    try {
      report = await deps.withFeedLock(feedId, () =>
        deps.sync(feed, site, { signal: deps.shutdown, onProgress }),
      );
    } catch (err) {
      const reason = (err as Error).message;
      log.warn({ err: reason, attempt: base.attempt }, "sync run failed");
      await finish(deps.shutdown.aborted ? "interrupted" : "failed", { reason });
      if (deps.shutdown.aborted) return await putBack(job, token);
      throw new SyncRunFailedError(feedId, reason);
    }
    if (report === "locked") {
      log.info("sync skipped: already running");
      return result(await finish("skipped", { reason: "already running" }));
    }
    const interrupted = deps.shutdown.aborted;
    const run = await finish(interrupted ? "interrupted" : report.outcome, {
      startedAt: report.startedAt,
      counts: report.counts,
      failures: report.failures,
      feedProblems: report.feedProblems.length,
      ...(interrupted ? { reason: "stopped by shutdown; continues on the next start" } : {}),
    });
    log.info(
      { outcome: run.outcome, counts: run.counts, failures: run.failures.length },
      "sync run finished",
    );
    if (interrupted) return await putBack(job, token);
    if (report.outcome === "failed") {
      throw new SyncRunFailedError(feedId, report.failures[0]?.reason ?? "no reason given");
    }
    return result(run);
  };
}

/** Puts an interrupted job back as delayed without using up an attempt, so the next start continues it. */
async function putBack(job: SyncJob, token?: string): Promise<never> {
  await job.moveToDelayed(Date.now() + 1000, token);
  throw new DelayedError();
}
