/** The HTTP edge: parsing, auth, the admin-API and per-IP limiters, faults, logging, dispatch. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Route, RouteRequest, SiteContext } from "./context.ts";
import { invalidApiCredentials, notFound, rateLimited } from "./errors.ts";
import type { Faults } from "./faults.ts";
import type { User } from "./model.ts";
import type { Params } from "./params.ts";
import { parseBody, parseForm } from "./params.ts";
import type { SlidingWindowLimiter } from "./rate-limiter.ts";
import type { Reply } from "./reply.ts";
import { json, text } from "./reply.ts";
import type { EmulatorControls } from "./routes/admin.ts";
import { handleAdmin } from "./routes/admin.ts";

export interface LoggedRequest {
  method: string;
  path: string;
  route: string;
  status: number;
  at: number;
  apiUsername?: string;
}

export interface ServerDeps {
  ctx: SiteContext;
  routes: Route[];
  adminApiKey: string;
  faults: Faults;
  /** Site-wide limiter state for admin_api_min and the per-IP buckets. */
  globalLimiter: SlidingWindowLimiter;
  adminRequestsPerMinute(): number | null;
  controls: EmulatorControls;
  log(entry: LoggedRequest): void;
}

const HTML_SHELL =
  "<!DOCTYPE html><html><head><title>Discourse</title></head><body><noscript>Discourse</noscript></body></html>";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function isPrivateAddress(ip: string): boolean {
  return /^(::1|127\.|::ffff:127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|fc|fd)/.test(ip);
}

function write(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { "Content-Type": reply.contentType, ...reply.headers });
  res.end(reply.body);
}

function match(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | null {
  const m = method === "HEAD" ? "GET" : method;
  for (const route of routes) {
    if (route.method !== m) continue;
    const found = route.pattern.exec(path);
    if (found) {
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(found.groups ?? {}))
        if (v !== undefined) params[k] = decodeURIComponent(v);
      return { route, params };
    }
  }
  return null;
}

type Auth = { ok: true; user: User | null; isApi: boolean } | { ok: false; reply: Reply };

/** DefaultCurrentUserProvider for Api-Key + Api-Username (an all-users key). */
function authenticate(deps: ServerDeps, req: IncomingMessage): Auth {
  const key = header(req, "api-key");
  if (key === undefined) return { ok: true, user: null, isApi: false };
  if (key !== deps.adminApiKey) return { ok: false, reply: invalidApiCredentials() };
  const username = header(req, "api-username");
  const userId = header(req, "api-user-id");
  const user = username
    ? deps.ctx.store.userByName(username)
    : userId && /^\d+$/.test(userId)
      ? deps.ctx.store.userById(Number(userId))
      : undefined;
  if (!user) return { ok: false, reply: invalidApiCredentials() };
  return { ok: true, user, isApi: true };
}

/** Middleware::RequestTracker per-IP limits: plain text, before the app. */
function ipLimited(deps: ServerDeps, ip: string, now: number): Reply | null {
  const s = deps.ctx.settings;
  if (isPrivateAddress(ip) && !s.max_reqs_rate_limit_on_private) return null;
  const buckets: Array<[string, number, number]> = [
    ["ip_10_secs_limit", s.max_reqs_per_ip_per_10_seconds, 10],
    ["ip_60_secs_limit", s.max_reqs_per_ip_per_minute, 60],
  ];
  for (const [code, max, secs] of buckets) {
    const wait = deps.globalLimiter.waitSeconds(`${code}:${ip}`, max, secs, now);
    if (wait > 0) {
      return {
        ...text(
          429,
          `Slow down, too many requests from this IP address.\nPlease retry again in ${wait} seconds.\nError code: ${code}.\n`,
          { "Retry-After": String(wait), "Discourse-Rate-Limit-Error-Code": code },
        ),
        contentType: "text/plain",
      };
    }
  }
  for (const [code, max, secs] of buckets) deps.globalLimiter.perform(`${code}:${ip}`, max, secs, now);
  return null;
}

/** ApplicationController#check_xhr: a plain GET (no .json, no JSON Accept) gets the app shell. */
function wantsJson(req: IncomingMessage, path: string): boolean {
  return path.endsWith(".json") || (header(req, "accept") ?? "").includes("application/json");
}

export function createHandler(deps: ServerDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname;
    const bodyText = await readBody(req);
    const body = parseBody(header(req, "content-type"), bodyText);

    if (path.startsWith("/__emulator/")) {
      write(res, handleAdmin(deps.controls, method, path, body));
      return;
    }
    // ForumsController#status: the liveness answer load balancers (and the worker's health check) read
    if (method === "GET" && path === "/srv/status") {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end("ok");
      return;
    }

    const found = match(deps.routes, method, path);
    const routeName = found?.route.name ?? `${method} (unmatched)`;
    const apiUsername = header(req, "api-username");
    const entry = (status: number): LoggedRequest => ({
      method,
      path,
      route: routeName,
      status,
      at: deps.ctx.now(),
      ...(apiUsername !== undefined ? { apiUsername } : {}),
    });

    const latency = deps.faults.latency(routeName);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const fault = deps.faults.decide(routeName);
    if (fault.kind === "drop") {
      deps.log(entry(0));
      req.socket.destroy();
      return;
    }
    if (fault.kind === "error") {
      deps.log(entry(fault.status));
      write(res, {
        status: fault.status,
        body: "<html><body><h1>Server error</h1></body></html>",
        contentType: "text/html",
        headers: {},
      });
      return;
    }

    const resolved = await dispatch(deps, req, method, path, url.searchParams, body, found);
    deps.log(entry(resolved.status));
    write(res, method === "HEAD" ? { ...resolved, body: "" } : resolved);
  };
}

function dispatch(
  deps: ServerDeps,
  req: IncomingMessage,
  method: string,
  path: string,
  query: URLSearchParams,
  body: Params | null,
  found: { route: Route; params: Record<string, string> } | null,
): Reply | Promise<Reply> {
  const now = deps.ctx.now();
  const auth = authenticate(deps, req);
  if (!auth.ok) return auth.reply;
  if (auth.isApi) {
    const limit = deps.adminRequestsPerMinute();
    if (limit !== null) {
      // One bucket for the whole site: every admin key and every Api-Username share it.
      const wait = deps.globalLimiter.perform("admin_api_min", limit, 60, now);
      if (wait > 0) return rateLimited(wait, "admin_api_key_rate_limit");
    }
  } else {
    const limited = ipLimited(deps, req.socket.remoteAddress ?? "", now);
    if (limited) return limited;
  }
  if (!found) return notFound();
  if (body === null)
    return json(400, { errors: ["The request body is not valid JSON."], error_type: "invalid_parameters" });
  if (found.route.json && method === "GET" && !wantsJson(req, path)) {
    return { status: 200, body: HTML_SHELL, contentType: "text/html; charset=utf-8", headers: {} };
  }
  const params: Params = { ...parseForm(query.toString()), ...body, ...found.params };
  const routeReq: RouteRequest = {
    method,
    path,
    query,
    params,
    pathParams: found.params,
    user: auth.user,
    isApi: auth.isApi,
    headers: req.headers,
  };
  return found.route.handler(deps.ctx, routeReq);
}
