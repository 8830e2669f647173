import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "./deps.ts";

const TIMEOUT_MS = 3000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${what} did not answer within ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      ).unref(),
    ),
  ]);
}

const detailedSchema = {
  type: "object",
  properties: {
    status: { type: "string", enum: ["ok", "degraded"] },
    redis: { type: "object", properties: { ok: { type: "boolean" }, error: { type: "string" } } },
    sites: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          reachable: { type: "boolean" },
          status: { type: "integer" },
          error: { type: "string" },
        },
      },
    },
    feeds: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          lastOutcome: { type: ["string", "null"] },
          lastFinishedAt: { type: ["string", "null"] },
        },
      },
    },
  },
} as const;

export function healthRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    "/api/health",
    {
      schema: {
        tags: ["health"],
        summary: "Liveness: the process answers",
        response: { 200: { type: "object", properties: { status: { type: "string" } } } },
      },
    },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/api/health/detailed",
    {
      schema: {
        tags: ["health"],
        summary: "Redis, each Discourse site, and the last run of each feed",
        response: { 200: detailedSchema, 503: detailedSchema },
      },
    },
    async (_req, reply) => {
      const redis = await withTimeout(deps.pingRedis(), "redis").then(
        () => ({ ok: true }),
        (err: Error) => ({ ok: false, error: err.message }),
      );
      const sites = await Promise.all(
        deps.config.sites.map(async (s) => ({
          id: s.id,
          ...(await withTimeout(deps.checkSite(s), `site ${s.id}`).catch((err: Error) => ({
            reachable: false,
            error: err.message,
          }))),
        })),
      );
      let feeds: { id: string; lastOutcome: string | null; lastFinishedAt: string | null }[] = [];
      if (redis.ok) {
        const entries = await deps.feeds.list();
        feeds = await Promise.all(
          entries.map(async ({ feed }) => {
            const last = (await deps.history.list(feed.id, 1))[0];
            return {
              id: feed.id,
              lastOutcome: last?.outcome ?? null,
              lastFinishedAt: last?.finishedAt ?? null,
            };
          }),
        );
      }
      const ok = redis.ok && sites.every((s) => s.reachable);
      return reply.code(ok ? 200 : 503).send({ status: ok ? "ok" : "degraded", redis, sites, feeds });
    },
  );
}
