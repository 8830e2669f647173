import type { FastifyInstance } from "fastify";
import { adminAuth } from "./auth.ts";
import type { ApiDeps } from "./deps.ts";
import { bearer, errorSchema, jobSchema } from "./schemas.ts";

export function jobRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: { id: string } }>(
    "/api/jobs/:id",
    {
      preHandler: adminAuth(deps.config.http.adminToken),
      schema: {
        tags: ["jobs"],
        security: bearer,
        summary: "State, progress and result of a sync job (poll the URL POST /api/feeds/{id}/sync gave)",
        params: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
        response: { 200: jobSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const job = await deps.queue.getJob(req.params.id);
      if (!job) {
        return reply.code(404).send({
          error: "not-found",
          message: `no job "${req.params.id}" (finished jobs are kept for a while only)`,
        });
      }
      const state = await job.getState();
      return {
        id: job.id,
        feedId: job.data.feedId,
        trigger: job.data.trigger,
        state,
        ...(typeof job.progress === "object" ? { progress: job.progress } : {}),
        attemptsMade: job.attemptsMade,
        createdAt: new Date(job.timestamp).toISOString(),
        ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
        ...(job.returnvalue ? { result: job.returnvalue } : {}),
        ...(job.failedReason ? { failedReason: job.failedReason } : {}),
      };
    },
  );
}
