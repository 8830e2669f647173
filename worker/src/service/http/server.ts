/**
 * The HTTP API: health, admin feed management and sync jobs, the optional status document, Prometheus
 * metrics and the OpenAPI document generated from the route schemas.
 */
import compress from "@fastify/compress";
import swagger from "@fastify/swagger";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { redactUrl } from "../../core/redact-url.ts";
import type { ApiDeps } from "./deps.ts";
import { feedRoutes } from "./feed-routes.ts";
import { healthRoutes } from "./health-routes.ts";
import { jobRoutes } from "./job-routes.ts";
import { metricsRoutes, statusRoutes } from "./status-routes.ts";

const REQUEST_ORIGIN = "http://request.invalid";

/** A request's path and query as logged: secrets in either (export tokens) masked as everywhere else. */
function loggedUrl(url: string): string {
  // request targets start with "/": prefixed, even "//host/x" stays a path of the placeholder origin
  return redactUrl(REQUEST_ORIGIN + url).slice(REQUEST_ORIGIN.length);
}

export async function buildApiServer(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: "loopback",
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "discourse-ics worker",
        description: "Imports iCalendar feeds into Discourse topics; admin API, status and metrics.",
        version: "1",
      },
      components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
    },
  });
  await app.register(compress, { global: true });

  app.addHook("onResponse", async (req, reply) => {
    deps.logger.info(
      {
        method: req.method,
        url: loggedUrl(req.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      "http request",
    );
  });
  app.setErrorHandler(async (err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    const status =
      err.statusCode && err.statusCode < 500
        ? err.statusCode
        : /enableOfflineQueue|Connection is closed/.test(err.message)
          ? 503
          : 500;
    if (status >= 500) deps.logger.error({ err: err.message, url: loggedUrl(req.url) }, "request failed");
    return reply.code(status).send({
      error: status === 503 ? "unavailable" : status >= 500 ? "internal" : "bad-request",
      message:
        status === 503
          ? "redis is not reachable; try again shortly"
          : status >= 500
            ? "internal error (see the worker log)"
            : err.message,
    });
  });

  healthRoutes(app, deps);
  feedRoutes(app, deps);
  jobRoutes(app, deps);
  await statusRoutes(app, deps);
  metricsRoutes(app, deps);
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  if (deps.extraRoutes) await deps.extraRoutes(app);
  return app;
}
