/**
 * The BullMQ queue of export builds. Rebuilds are debounced per export through a deduplication id
 * (a burst of webhooks becomes one build); one-off exports are jobs whose result is stored aside.
 * Job data carries names and filters only, never secrets.
 */
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { DateWindow } from "./gather.ts";

export const EXPORT_QUEUE = "export";
/** A webhook burst within this time becomes one rebuild. */
export const REBUILD_DEBOUNCE_MS = 5_000;

export interface RebuildJob {
  kind: "rebuild";
  name: string;
  trigger: "schedule" | "webhook" | "start" | "request";
}

export interface OneOffJob {
  kind: "one-off";
  siteId: string;
  categoryIds: number[];
  includeSubcategories: boolean;
  tags: string[];
  includeCalendarPlugin: boolean;
  /** The caller asked for private categories too (allowed for admins). */
  includePrivate: boolean;
  title?: string;
  window: DateWindow;
}

export type ExportJob = RebuildJob | OneOffJob;

export type ExportQueue = Queue<ExportJob>;

export function bullPrefix(prefix: string): string {
  return `${prefix}:bull`;
}

/** The queue on its own connection that fails fast while Redis is away, as BullMQ advises for producers. */
export function openExportQueue(
  redis: Redis,
  prefix: string,
): { queue: ExportQueue; close(): Promise<void> } {
  const connection = redis.duplicate({ enableOfflineQueue: false });
  const queue: ExportQueue = new Queue<ExportJob>(EXPORT_QUEUE, { connection, prefix: bullPrefix(prefix) });
  return {
    queue,
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

export const finishedJobs = { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } as const;

export function schedulerIdOf(name: string): string {
  return `export:${name}`;
}

export async function enqueueRebuild(
  queue: ExportQueue,
  name: string,
  trigger: RebuildJob["trigger"],
  debounceMs = REBUILD_DEBOUNCE_MS,
): Promise<void> {
  await queue.add(
    "rebuild",
    { kind: "rebuild", name, trigger },
    {
      ...finishedJobs,
      // A build that fails (Discourse briefly away) is tried again; the schedule is the last resort.
      attempts: 3,
      backoff: { type: "exponential", delay: 10_000 },
      delay: debounceMs,
      // Debounce: while a rebuild waits, later requests push it back instead of adding another.
      deduplication: { id: `rebuild:${name}`, ttl: debounceMs, extend: true, replace: true },
    },
  );
}

export function taskResultKey(prefix: string, id: string): string {
  return `${prefix}:export:task:${id}`;
}

/** One-off results are kept this long for download. */
export const TASK_RESULT_TTL_SECONDS = 24 * 3600;
