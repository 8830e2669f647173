/**
 * The BullMQ worker that runs feed syncs. Different feeds run concurrently up to `concurrency`; closing
 * aborts the runs in progress (they stop between API calls) and waits for them to be put back.
 */
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../core/logger.ts";
import { bullPrefix, SYNC_QUEUE } from "./keys.ts";
import { createSyncProcessor, type ProcessorDeps, type SyncJobResult } from "./processor.ts";
import type { SyncJobData } from "./sync-queue.ts";

export interface SyncWorker {
  worker: Worker<SyncJobData, SyncJobResult>;
  close(): Promise<void>;
}

export interface SyncWorkerOptions {
  connection: Redis;
  prefix: string;
  concurrency: number;
  logger: Logger;
  processor: Omit<ProcessorDeps, "shutdown" | "logger">;
}

export function startSyncWorker(opts: SyncWorkerOptions): SyncWorker {
  const shutdown = new AbortController();
  const process = createSyncProcessor({ ...opts.processor, logger: opts.logger, shutdown: shutdown.signal });
  const worker = new Worker<SyncJobData, SyncJobResult>(SYNC_QUEUE, (job, token) => process(job, token), {
    connection: opts.connection,
    prefix: bullPrefix(opts.prefix),
    concurrency: opts.concurrency,
    // A sync can wait minutes on the shared site rate budget; the lock is renewed meanwhile.
    lockDuration: 60_000,
  });
  worker.on("error", (err) => opts.logger.warn({ err: err.message }, "sync worker error"));
  worker.on("failed", (job, err) =>
    opts.logger.warn(
      { feedId: job?.data.feedId, jobId: job?.id, attempt: job?.attemptsMade, err: err.message },
      "sync job failed",
    ),
  );
  return {
    worker,
    async close() {
      shutdown.abort();
      await worker.close();
    },
  };
}
