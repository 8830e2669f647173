/**
 * POST /webhooks/discourse — a topic or post changed: check the signature over the raw bytes first,
 * drop deliveries already seen, then queue a (debounced) rebuild of the exports it touches.
 */
import type { FastifyInstance } from "fastify";
import type { ExportContext } from "./context.ts";
import { enqueueRebuild, type ExportQueue } from "./queue.ts";
import { affectedExports, candidateSites, checkSignature } from "./webhook.ts";

/** A delivery id seen within this window is a replay. */
export const REPLAY_WINDOW_SECONDS = 24 * 3600;
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export function replayKey(prefix: string, siteId: string, eventId: string): string {
  return `${prefix}:export:webhook-seen:${siteId}:${eventId}`;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export async function registerWebhookRoute(
  app: FastifyInstance,
  ctx: ExportContext,
  queue: ExportQueue,
): Promise<void> {
  // The signature covers the exact bytes sent: take every body raw in this scope, parse it ourselves later.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: MAX_BODY_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  app.post("/webhooks/discourse", async (req, reply) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = header(req.headers["x-discourse-event-signature"]);
    const sites = candidateSites(ctx.deps.sites, header(req.headers["x-discourse-instance"]));
    if (sites.length === 0) {
      return reply
        .code(404)
        .send({ error: "not-configured", message: "no site has a webhook secret configured" });
    }
    if (!signature)
      return reply.code(401).send({ error: "unauthorized", message: "missing X-Discourse-Event-Signature" });
    const site = sites.find((s) => checkSignature(raw, signature, s.webhookSecret!) === "ok");
    if (!site)
      return reply.code(401).send({ error: "unauthorized", message: "invalid X-Discourse-Event-Signature" });

    const eventId = header(req.headers["x-discourse-event-id"]);
    const seenKey = eventId ? replayKey(ctx.deps.redisPrefix, site.id, eventId) : undefined;
    if (seenKey) {
      const first = await ctx.deps.redis.set(seenKey, "1", "EX", REPLAY_WINDOW_SECONDS, "NX");
      if (first !== "OK") return reply.code(200).send({ status: "ignored", reason: "replayed delivery" });
    }

    let payload: unknown;
    try {
      payload = raw.length > 0 ? JSON.parse(raw.toString("utf8")) : {};
    } catch {
      // Form-encoded deliveries carry no category we could read: treat them as touching every export.
      payload = {};
    }
    const event = header(req.headers["x-discourse-event"]);
    const names = affectedExports(ctx.deps.exports, site.id, event, payload);
    try {
      for (const name of names) await enqueueRebuild(queue, name, "webhook", ctx.deps.rebuildDebounceMs);
    } catch (err) {
      // Not processed: let Discourse's retry of the same delivery through.
      if (seenKey) await ctx.deps.redis.del(seenKey).catch(() => undefined);
      req.log.error({ site: site.id, err: (err as Error).message }, "could not queue export rebuild");
      return reply
        .code(503)
        .send({ error: "unavailable", message: "could not queue the rebuild; retry later" });
    }
    if (names.length === 0)
      return reply.code(200).send({ status: "ignored", reason: `event "${event ?? ""}" touches no export` });
    return reply.code(202).send({ status: "queued", exports: names });
  });
}
