/**
 * Mounts the exporter's HTTP routes on the service's Fastify server: the subscribable feeds, the
 * Discourse webhook, and the one-off export API.
 */
import type { FastifyInstance } from "fastify";
import { createExportContext } from "./context.ts";
import { registerFeedRoute } from "./feed-route.ts";
import { openExportQueue } from "./queue.ts";
import { registerTaskRoutes } from "./task-routes.ts";
import type { ExportDeps } from "./types.ts";
import { registerWebhookRoute } from "./webhook-route.ts";

export type { ExportDeps } from "./types.ts";

export async function registerExportRoutes(app: FastifyInstance, deps: ExportDeps): Promise<void> {
  const ctx = createExportContext(deps);
  const { queue, close } = openExportQueue(deps.redis, deps.redisPrefix);
  queue.on("error", (err) => deps.logger.warn({ err: err.message }, "export queue connection problem"));
  app.addHook("onClose", async () => {
    await close();
  });
  await app.register(async (scope) => {
    registerFeedRoute(scope, ctx, queue);
    registerTaskRoutes(scope, ctx, queue);
  });
  await app.register(async (scope) => registerWebhookRoute(scope, ctx, queue));
}
