import cors from "@fastify/cors";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "./deps.ts";
import { statusDocumentSchema } from "./schemas.ts";

/** Read-only status for the theme widget; CORS only for the configured forum origins. */
export async function statusRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  if (!deps.config.http.statusEndpoint) return;
  await app.register(async (scope) => {
    await scope.register(cors, { origin: deps.config.http.corsOrigins, methods: ["GET"] });
    scope.get(
      "/api/status",
      {
        schema: {
          tags: ["status"],
          summary: "The import status document (the same the status topic carries)",
          response: { 200: statusDocumentSchema },
        },
      },
      async (_req, reply) => {
        reply.header("cache-control", "max-age=30");
        return await deps.status();
      },
    );
  });
}

export function metricsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    "/metrics",
    { schema: { tags: ["metrics"], summary: "Prometheus metrics of this process" } },
    async (_req, reply) => {
      const text = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(text);
    },
  );
}
