/**
 * Large one-off exports (a date range, many categories) run as queued jobs:
 * POST /api/exports → 202 with a task URL; GET the task for its state, then its download URL.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { exportAdminCheck } from "./admin-auth.ts";
import type { ExportContext } from "./context.ts";
import { finishedJobs, taskResultKey, type ExportQueue, type OneOffJob } from "./queue.ts";

const isoInstant = z.iso.datetime({ offset: true }).or(z.iso.date());

const OneOffRequest = z
  .object({
    siteId: z.string().min(1).optional(),
    categoryIds: z.array(z.number().int().positive()).max(500).default([]),
    includeSubcategories: z.boolean().default(true),
    tags: z.array(z.string().min(1).max(100)).max(50).default([]),
    includeCalendarPlugin: z.boolean().default(true),
    includePrivate: z.boolean().default(false),
    title: z.string().max(200).optional(),
    from: isoInstant.optional(),
    to: isoInstant.optional(),
  })
  .strict();

export function registerTaskRoutes(app: FastifyInstance, ctx: ExportContext, queue: ExportQueue): void {
  const admin = exportAdminCheck(ctx.deps);
  const base = (req: FastifyRequest) =>
    (ctx.deps.publicBaseUrl ?? `${req.protocol}://${req.host}`).replace(/\/+$/, "");

  // What is configured and when it was last built; tokens are never shown.
  app.get("/api/exports", { preHandler: admin }, async (req, reply) => {
    const list = await Promise.all(
      ctx.deps.exports.map(async (e) => {
        const cached = await ctx.cache.get(e.name);
        return {
          name: e.name,
          url: `${base(req)}/ics/${e.name}.ics`,
          needsToken: Boolean(e.token),
          refreshMinutes: e.refreshMinutes,
          builtAt: cached?.builtAt || null,
          lastModified: cached?.lastModified ?? null,
          eventCount: cached?.eventCount ?? null,
          ...(cached?.refusal ? { refused: cached.refusal } : {}),
        };
      }),
    );
    return reply.send({ exports: list });
  });

  app.post("/api/exports", { preHandler: admin }, async (req, reply) => {
    const parsed = OneOffRequest.safeParse(req.body ?? {});
    if (!parsed.success) {
      return reply.code(400).send({
        error: "invalid-request",
        message: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
      });
    }
    const body = parsed.data;
    const siteId = body.siteId ?? (ctx.deps.sites.length === 1 ? ctx.deps.sites[0]!.id : undefined);
    if (!siteId || !ctx.site(siteId)) {
      return reply
        .code(400)
        .send({ error: "invalid-request", message: `siteId: name one of the configured sites` });
    }
    if (body.from && body.to && Date.parse(body.to) <= Date.parse(body.from)) {
      return reply.code(400).send({ error: "invalid-request", message: "to: must be after from" });
    }
    const job: OneOffJob = {
      kind: "one-off",
      siteId,
      categoryIds: body.categoryIds,
      includeSubcategories: body.includeSubcategories,
      tags: body.tags,
      includeCalendarPlugin: body.includeCalendarPlugin,
      includePrivate: body.includePrivate,
      window: { ...(body.from ? { from: body.from } : {}), ...(body.to ? { to: body.to } : {}) },
      ...(body.title ? { title: body.title } : {}),
    };
    const added = await queue.add("one-off", job, finishedJobs);
    const taskUrl = `${base(req)}/api/exports/${added.id}`;
    return reply.code(202).header("location", taskUrl).send({ id: added.id, state: "queued", taskUrl });
  });

  app.get<{ Params: { id: string } }>("/api/exports/:id", { preHandler: admin }, async (req, reply) => {
    const job = await queue.getJob(req.params.id);
    if (!job || job.data.kind !== "one-off") {
      return reply.code(404).send({ error: "not-found", message: `no export task "${req.params.id}"` });
    }
    const state = await job.getState();
    // Read again once finished: the copy above may predate the result.
    const done =
      state === "completed" || state === "failed" ? ((await queue.getJob(req.params.id)) ?? job) : job;
    const out: Record<string, unknown> = { id: job.id, state };
    if (state === "completed") {
      const result = done.returnvalue as { eventCount?: number; refused?: string } | undefined;
      if (result?.refused) Object.assign(out, { state: "refused", message: result.refused });
      else
        Object.assign(out, {
          eventCount: result?.eventCount ?? 0,
          downloadUrl: `${base(req)}/api/exports/${job.id}/download`,
        });
    }
    if (state === "failed") out["message"] = done.failedReason;
    return reply.send(out);
  });

  app.get<{ Params: { id: string } }>(
    "/api/exports/:id/download",
    { preHandler: admin },
    async (req, reply) => {
      const body = await ctx.deps.redis.getBuffer(taskResultKey(ctx.deps.redisPrefix, req.params.id));
      if (!body) {
        return reply.code(404).send({
          error: "not-found",
          message: `export task "${req.params.id}" has no result (yet, or any more)`,
        });
      }
      return reply
        .header("content-type", "text/calendar; charset=utf-8")
        .header("content-disposition", `attachment; filename="export-${req.params.id}.ics"`)
        .send(body);
    },
  );
}
