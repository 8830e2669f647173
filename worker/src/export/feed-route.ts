/**
 * GET /ics/{name}.ics — serves a prebuilt export from the cache with validators (304s), in the
 * encoding the client prefers, and only with the right token when the export has one.
 */
import type {} from "@fastify/compress";
import type { FastifyInstance } from "fastify";
import { chooseEncoding, encodedEtag, isNotModified } from "./conditional.ts";
import { secretsEqual } from "../core/constant-time.ts";
import type { ExportContext } from "./context.ts";
import { enqueueRebuild, type ExportQueue } from "./queue.ts";

export function registerFeedRoute(app: FastifyInstance, ctx: ExportContext, queue: ExportQueue): void {
  // Bodies are compressed once per build; a global @fastify/compress must not compress them again.
  const options = { compress: false as const };
  app.get<{ Params: { file: string }; Querystring: { token?: string } }>(
    "/ics/:file",
    options,
    async (req, reply) => {
      const name = req.params.file.endsWith(".ics") ? req.params.file.slice(0, -4) : "";
      const config = ctx.exportByName(name);
      if (!config) return reply.code(404).send({ error: "not-found", message: `no export named "${name}"` });
      if (config.token) {
        const presented = typeof req.query.token === "string" ? req.query.token : undefined;
        if (!secretsEqual(presented, config.token)) {
          return reply.code(presented ? 403 : 401).send({
            error: "forbidden",
            message: `export "${name}" needs its token: /ics/${name}.ics?token=…`,
          });
        }
      }
      let cached;
      try {
        cached = await ctx.cache.get(name);
      } catch (err) {
        req.log.warn({ export: name, err: (err as Error).message }, "export cache unreachable");
        return reply
          .code(503)
          .header("retry-after", "60")
          .send({
            error: "unavailable",
            message: `export "${name}" cannot be read right now; try again shortly`,
          });
      }
      if (!cached) {
        await enqueueRebuild(queue, name, "request", 0).catch((err: Error) =>
          req.log.warn({ export: name, err: err.message }, "could not queue export build"),
        );
        return reply
          .code(503)
          .header("retry-after", "30")
          .send({ error: "not-ready", message: `export "${name}" is being built; try again shortly` });
      }
      if (cached.refusal) {
        return reply.code(403).send({ error: "forbidden", message: cached.refusal });
      }
      const encoding = chooseEncoding(req.headers["accept-encoding"]);
      const maxAge = Math.max(60, config.refreshMinutes * 60);
      reply
        .header("etag", encodedEtag(cached.etag, encoding))
        .header("last-modified", cached.lastModified)
        .header("cache-control", `${config.token ? "private" : "public"}, max-age=${maxAge}`)
        .header("vary", "Accept-Encoding");
      const notModified = isNotModified(
        { ifNoneMatch: req.headers["if-none-match"], ifModifiedSince: req.headers["if-modified-since"] },
        cached.etag,
        cached.lastModified,
      );
      if (notModified) return reply.code(304).send();
      if (encoding !== "identity") reply.header("content-encoding", encoding);
      return reply
        .header("content-type", "text/calendar; charset=utf-8")
        .header("content-disposition", `inline; filename="${name}.ics"`)
        .send(cached.bodies[encoding]);
    },
  );
}
