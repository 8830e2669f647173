import type { User } from "./model.ts";
import type { Params } from "./params.ts";
import type { SlidingWindowLimiter } from "./rate-limiter.ts";
import type { Reply } from "./reply.ts";
import type { SiteSettings } from "./settings.ts";
import type { Store } from "./state.ts";

export type WebhookEvent = {
  type: "topic" | "post" | "calendar_event";
  name: string;
  payload: Record<string, unknown>;
};

/** Everything a route handler may touch. */
export interface SiteContext {
  store: Store;
  settings: SiteSettings;
  calendarPlugin: boolean;
  now(): number;
  cook(raw: string): string;
  /** Per-user content limits (create_topic, topics per day). */
  userLimiter: SlidingWindowLimiter;
  /** 120 s memo of API create requests, keyed by a signature of params + user. */
  createMemo: Map<string, { reply: Reply; expires: number }>;
  /** Recent first-post bodies per user, for unique_posts_mins. */
  recentBodies: Map<number, Array<{ raw: string; at: number }>>;
  emit(event: WebhookEvent): void;
}

export interface RouteRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Query, body and path parameters merged (path wins), Rails style. */
  params: Params;
  pathParams: Record<string, string>;
  user: User | null;
  /** True when the request carried a valid API key (Discourse's is_api?). */
  isApi: boolean;
  headers: Record<string, string | string[] | undefined>;
}

export type Handler = (ctx: SiteContext, req: RouteRequest) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  /** Name as logged, e.g. "GET /t/:id.json". */
  name: string;
  pattern: RegExp;
  /** Whether the route serves JSON (a plain GET without .json or Accept gets the HTML shell). */
  json: boolean;
  handler: Handler;
}

const NUMERIC_PARAMS = new Set(["id", "topic_id", "post_number"]);

/** Builds a route from a Rails-ish path such as "/t/:slug/:id" (".json" optional in the request). */
export function route(method: string, path: string, handler: Handler, opts: { json?: boolean } = {}): Route {
  const json = opts.json ?? true;
  const body = path.replace(/:(\w+)/g, (_m, n: string) =>
    NUMERIC_PARAMS.has(n) ? `(?<${n}>\\d+)` : `(?<${n}>[^/]+?)`,
  );
  const pattern = new RegExp(`^${body}${json ? "(?:\\.json)?" : ""}$`);
  return { method, name: `${method} ${path}${json ? ".json" : ""}`, pattern, json, handler };
}
