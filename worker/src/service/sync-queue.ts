/**
 * The BullMQ queue of feed syncs: job options (retries with backoff, finished jobs trimmed), job
 * schedulers per feed, and manual runs deduplicated by feed id. Job data is the feed id only: no secrets.
 */
import { Queue, type Job, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { FeedConfig } from "../core/feed.ts";
import type { Logger } from "../core/logger.ts";
import { bullPrefix, schedulerId, SYNC_QUEUE } from "./keys.ts";
import { repeatOptions } from "./schedule.ts";
import { planSchedulers, type SchedulerPlan } from "./scheduler-plan.ts";

export interface SyncJobData {
  feedId: string;
  trigger: "schedule" | "manual";
}

export interface QueueSettings {
  attempts: number;
  backoffSeconds: number;
  keepCompletedJobs: number;
  keepFailedJobs: number;
}

export type SyncQueue = Queue<SyncJobData>;

export function createSyncQueue(connection: Redis, prefix: string): SyncQueue {
  return new Queue<SyncJobData>(SYNC_QUEUE, { connection, prefix: bullPrefix(prefix) });
}

export function jobOptions(
  s: QueueSettings,
): Omit<JobsOptions, "jobId" | "repeat" | "delay" | "deduplication"> {
  return {
    attempts: s.attempts,
    backoff: { type: "exponential", delay: s.backoffSeconds * 1000 },
    removeOnComplete: { count: s.keepCompletedJobs },
    removeOnFail: { count: s.keepFailedJobs },
  };
}

/** Brings BullMQ's schedulers in line with the feeds; safe to call often (unchanged ones are left alone). */
export async function reconcileSchedulers(
  queue: SyncQueue,
  feeds: FeedConfig[],
  settings: QueueSettings,
  logger: Logger,
): Promise<SchedulerPlan> {
  const existing = await queue.getJobSchedulers(0, -1);
  const plan = planSchedulers(existing, feeds);
  for (const feed of plan.upsert) {
    await queue.upsertJobScheduler(schedulerId(feed.id), repeatOptions(feed.schedule, feed.timezone), {
      name: "scheduled",
      data: { feedId: feed.id, trigger: "schedule" },
      opts: jobOptions(settings),
    });
  }
  for (const key of plan.remove) await queue.removeJobScheduler(key);
  if (plan.upsert.length || plan.remove.length) {
    logger.info({ upserted: plan.upsert.map((f) => f.id), removed: plan.remove }, "feed schedules updated");
  }
  return plan;
}

/** Queues a manual run; while one is waiting or running for the feed, the same job is returned. */
export async function enqueueManualSync(
  queue: SyncQueue,
  feedId: string,
  settings: QueueSettings,
): Promise<Job<SyncJobData>> {
  return await queue.add(
    "manual",
    { feedId, trigger: "manual" },
    { ...jobOptions(settings), deduplication: { id: `manual:${feedId}` } },
  );
}

export async function removeFeedScheduler(queue: SyncQueue, feedId: string): Promise<void> {
  await queue.removeJobScheduler(schedulerId(feedId));
}
