/**
 * Builds exports ahead of time: a BullMQ job scheduler per export (every refreshMinutes), one build
 * of each at start, debounced rebuilds queued by webhooks, and one-off export jobs.
 */
import { Worker, type Job } from "bullmq";
import { createExportContext, type ExportContext } from "./context.ts";
import {
  bullPrefix,
  openExportQueue,
  enqueueRebuild,
  EXPORT_QUEUE,
  finishedJobs,
  schedulerIdOf,
  TASK_RESULT_TTL_SECONDS,
  taskResultKey,
  type ExportJob,
  type ExportQueue,
  type OneOffJob,
} from "./queue.ts";
import type { ExportDeps } from "./types.ts";

export function startExportWorker(deps: ExportDeps): { close(): Promise<void> } {
  const ctx = createExportContext(deps);
  const { queue, close: closeQueue } = openExportQueue(deps.redis, deps.redisPrefix);
  const workerConnection = deps.redis.duplicate({ maxRetriesPerRequest: null });
  queue.on("error", (err) => deps.logger.warn({ err: err.message }, "export queue connection problem"));
  const worker = new Worker<ExportJob>(EXPORT_QUEUE, (job) => processExportJob(ctx, job), {
    connection: workerConnection,
    prefix: bullPrefix(deps.redisPrefix),
    concurrency: 2,
  });
  worker.on("error", (err) => deps.logger.warn({ err: err.message }, "export worker connection problem"));
  worker.on("failed", (job, err) =>
    deps.logger.error(
      { job: job?.id, export: job?.data.kind === "rebuild" ? job.data.name : "one-off", err: err.message },
      "export build failed",
    ),
  );
  // Schedulers are checked again every few minutes: a Redis that was down at start, or flushed
  // since, gets them back. The first build of each export is queued once the queue answers.
  let firstBuildsQueued = false;
  const tick = async () => {
    try {
      await reconcileSchedulers(ctx, queue);
      if (!firstBuildsQueued) {
        for (const e of deps.exports) await enqueueRebuild(queue, e.name, "start", 0);
        firstBuildsQueued = true;
      }
    } catch (err) {
      deps.logger.warn(
        { err: (err as Error).message },
        "could not schedule export builds; trying again later",
      );
    }
  };
  let running = tick();
  const timer = setInterval(() => (running = running.then(tick)), SCHEDULER_CHECK_MS);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await running;
      await worker.close();
      await closeQueue();
      workerConnection.disconnect();
    },
  };
}

const SCHEDULER_CHECK_MS = 5 * 60_000;

export async function processExportJob(ctx: ExportContext, job: Job<ExportJob>): Promise<unknown> {
  const data = job.data;
  if (data.kind === "rebuild") {
    const started = Date.now();
    const result = await ctx.rebuild(data.name);
    ctx.deps.logger.info(
      { export: data.name, trigger: data.trigger, ms: Date.now() - started, ...result },
      "export built",
    );
    return result;
  }
  return runOneOff(ctx, job.id ?? "", data);
}

async function runOneOff(ctx: ExportContext, id: string, data: OneOffJob): Promise<unknown> {
  const config = {
    name: `one-off-${id}`,
    siteId: data.siteId,
    title: data.title ?? "Events export",
    categoryIds: data.categoryIds,
    includeSubcategories: data.includeSubcategories,
    tags: data.tags,
    includeCalendarPlugin: data.includeCalendarPlugin,
    refreshMinutes: 1440,
  };
  // Downloads are admin-only, so the admin's includePrivate is the whole privacy decision here.
  const result = await ctx.build(config, { window: data.window, allowPrivate: data.includePrivate });
  if (result.refused) return { refused: result.reason };
  await ctx.deps.redis.set(
    taskResultKey(ctx.deps.redisPrefix, id),
    result.body,
    "EX",
    TASK_RESULT_TTL_SECONDS,
  );
  return { eventCount: result.eventCount };
}

/**
 * One scheduler per configured export, every refreshMinutes; schedulers of exports no longer
 * configured are removed. Unchanged ones are left alone so their next run does not move.
 */
export async function reconcileSchedulers(ctx: ExportContext, queue: ExportQueue): Promise<void> {
  const wanted = new Map(ctx.deps.exports.map((e) => [schedulerIdOf(e.name), e]));
  const existing = new Map<string, number | undefined>();
  for (const s of await queue.getJobSchedulers(0, -1)) {
    if (!s.key.startsWith("export:")) continue;
    if (!wanted.has(s.key)) await queue.removeJobScheduler(s.key);
    else existing.set(s.key, s.every === undefined || s.every === null ? undefined : Number(s.every));
  }
  for (const [id, e] of wanted) {
    const every = Math.max(1, e.refreshMinutes) * 60_000;
    if (existing.get(id) === every) continue;
    await queue.upsertJobScheduler(
      id,
      { every },
      { name: "rebuild", data: { kind: "rebuild", name: e.name, trigger: "schedule" }, opts: finishedJobs },
    );
  }
}
