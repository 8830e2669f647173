import type { FastifyInstance, FastifyReply } from "fastify";
import { FeedInputError, redactFeed } from "../feed-registry.ts";
import { enqueueManualSync, removeFeedScheduler } from "../sync-queue.ts";
import { HISTORY_LENGTH } from "../run-history.ts";
import { adminAuth } from "./auth.ts";
import type { ApiDeps } from "./deps.ts";
import { bearer, errorSchema, feedInputSchema, feedViewSchema, runSchema } from "./schemas.ts";

const idParams = { type: "object", properties: { id: { type: "string" } }, required: ["id"] } as const;
// Bodies are validated by the zod schema (one set of messages with paths); the JSON schema documents them.
const documentOnly = () => (data: unknown) => ({ value: data });

function invalid(reply: FastifyReply, err: unknown) {
  if (err instanceof FeedInputError) {
    return reply.code(422).send({ error: "invalid-feed", message: err.message, problems: err.problems });
  }
  throw err;
}

export function jobUrl(jobId: string): string {
  return `/api/jobs/${encodeURIComponent(jobId)}`;
}

export function feedRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const preHandler = adminAuth(deps.config.http.adminToken);
  const common = { tags: ["feeds"], security: bearer };
  const notFound = (reply: FastifyReply, id: string) =>
    reply.code(404).send({ error: "not-found", message: `no feed "${id}"` });

  app.get(
    "/api/feeds",
    {
      preHandler,
      schema: {
        ...common,
        summary: "All feeds: from the config file (read-only) and from the API",
        response: { 200: { type: "array", items: feedViewSchema } },
      },
    },
    async () => (await deps.feeds.list()).map((e) => ({ origin: e.origin, feed: redactFeed(e.feed) })),
  );

  app.get<{ Params: { id: string } }>(
    "/api/feeds/:id",
    {
      preHandler,
      schema: {
        ...common,
        summary: "One feed (secrets redacted)",
        params: idParams,
        response: { 200: feedViewSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const e = await deps.feeds.get(req.params.id);
      if (!e) return notFound(reply, req.params.id);
      return { origin: e.origin, feed: redactFeed(e.feed) };
    },
  );

  app.post(
    "/api/feeds",
    {
      preHandler,
      validatorCompiler: documentOnly,
      schema: {
        ...common,
        summary:
          "Add a feed (stored in Redis, scheduled at once). Secrets as { env } or { file } references.",
        body: feedInputSchema,
        response: { 201: feedViewSchema, 409: errorSchema, 422: errorSchema },
      },
    },
    async (req, reply) => {
      const id = (req.body as { id?: unknown } | null)?.id;
      if (typeof id === "string" && (await deps.feeds.get(id).catch(() => undefined))) {
        return reply
          .code(409)
          .send({ error: "exists", message: `feed "${id}" already exists; PUT /api/feeds/${id} changes it` });
      }
      try {
        const feed = await deps.feeds.put(req.body);
        await deps.feedsChanged();
        return reply
          .code(201)
          .header("location", `/api/feeds/${feed.id}`)
          .send({ origin: "api", feed: redactFeed(feed) });
      } catch (err) {
        return invalid(reply, err);
      }
    },
  );

  app.put<{ Params: { id: string } }>(
    "/api/feeds/:id",
    {
      preHandler,
      validatorCompiler: documentOnly,
      schema: {
        ...common,
        summary: "Replace an API feed",
        params: idParams,
        body: feedInputSchema,
        response: { 200: feedViewSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      if (deps.feeds.isFileFeed(id)) return readOnly(reply, id);
      if (!(await deps.feeds.get(id))) return notFound(reply, id);
      const body = req.body && typeof req.body === "object" ? { ...(req.body as object), id } : req.body;
      try {
        const feed = await deps.feeds.put(body);
        await deps.feedsChanged();
        return { origin: "api", feed: redactFeed(feed) };
      } catch (err) {
        return invalid(reply, err);
      }
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/feeds/:id",
    {
      preHandler,
      schema: {
        ...common,
        summary: "Delete an API feed and its schedule (topics stay)",
        params: idParams,
        response: { 404: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      if (deps.feeds.isFileFeed(id)) return readOnly(reply, id);
      if (!(await deps.feeds.remove(id))) return notFound(reply, id);
      await removeFeedScheduler(deps.queue, id);
      await deps.feedsChanged();
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { id: string } }>(
    "/api/feeds/:id/sync",
    {
      preHandler,
      schema: {
        ...common,
        summary:
          "Queue a sync now; answers 202 with the job URL to poll (a pending request for the same feed is reused)",
        params: idParams,
        response: {
          202: { type: "object", properties: { jobId: { type: "string" }, url: { type: "string" } } },
          404: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const e = await deps.feeds.get(req.params.id);
      if (!e) return notFound(reply, req.params.id);
      const job = await enqueueManualSync(deps.queue, e.feed.id, deps.queueSettings);
      const url = jobUrl(job.id!);
      return reply.code(202).header("location", url).send({ jobId: job.id, url });
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: number } }>(
    "/api/feeds/:id/runs",
    {
      preHandler,
      schema: {
        ...common,
        summary: `Run history of a feed, newest first (last ${HISTORY_LENGTH})`,
        params: idParams,
        querystring: {
          type: "object",
          properties: { limit: { type: "integer", minimum: 1, maximum: HISTORY_LENGTH } },
        },
        response: { 200: { type: "array", items: runSchema }, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const e = await deps.feeds.get(req.params.id);
      if (!e) return notFound(reply, req.params.id);
      return await deps.history.list(e.feed.id, req.query.limit ?? HISTORY_LENGTH);
    },
  );
}

function readOnly(reply: FastifyReply, id: string) {
  return reply
    .code(409)
    .send({ error: "read-only", message: `feed "${id}" comes from the config file; change it there` });
}
