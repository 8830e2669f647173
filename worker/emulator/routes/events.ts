/** discourse-post-event: GET /discourse-post-event/events.json and /events/:id.json. */
import type { Route, RouteRequest, SiteContext } from "../context.ts";
import { route } from "../context.ts";
import { notFound } from "../errors.ts";
import { basicEvent, detailedEvent } from "../event-serializer.ts";
import type { PostEvent, Topic } from "../model.ts";
import type { Reply } from "../reply.ts";
import { json } from "../reply.ts";
import { listable } from "../visibility.ts";

/** limit: default and maximum 200 (the plugin's API docs). */
const DEFAULT_LIMIT = 200;

function visibleEvent(ctx: SiteContext, req: RouteRequest, e: PostEvent): Topic | null {
  const t = ctx.store.topic(e.topicId);
  return t && listable(ctx.store, t, req.user) ? t : null;
}

function timeParam(v: string | null): number | null {
  if (v === null || v === "") return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

function listEvents(ctx: SiteContext, req: RouteRequest): Reply {
  const q = req.query;
  const categoryId = q.get("category_id");
  const categories =
    categoryId === null
      ? null
      : q.get("include_subcategories") === "true"
        ? ctx.store.withSubcategories(Number(categoryId))
        : [Number(categoryId)];
  const after = timeParam(q.get("after"));
  const before = timeParam(q.get("before"));
  const postId = q.get("post_id");
  const limit = Math.max(
    1,
    Math.min(Number(q.get("limit") ?? DEFAULT_LIMIT) || DEFAULT_LIMIT, DEFAULT_LIMIT),
  );
  const details = q.get("include_details") === "true";
  const rows: Array<{ e: PostEvent; t: Topic }> = [];
  for (const e of ctx.store.events.values()) {
    const t = visibleEvent(ctx, req, e);
    if (!t) continue;
    if (categories && !categories.includes(t.categoryId)) continue;
    if (postId !== null && String(e.id) !== postId) continue;
    if (after !== null && (e.endsAt ?? e.startsAt) < after) continue;
    if (before !== null && e.startsAt > before) continue;
    rows.push({ e, t });
  }
  const dir = q.get("order") === "desc" ? -1 : 1;
  rows.sort((a, b) => dir * (a.e.startsAt - b.e.startsAt) || a.e.id - b.e.id);
  const now = ctx.now();
  // occurrences are expanded from `after` (default now), 50 unless a limit is given
  const window = { after: after ?? now, before, limit: Number(q.get("limit")) || 50 };
  return json(200, {
    events: rows
      .slice(0, limit)
      .map(({ e, t }) =>
        details ? detailedEvent(ctx.store, e, t, req.user, now, window) : basicEvent(ctx.store, e, t, window),
      ),
  });
}

function showEvent(ctx: SiteContext, req: RouteRequest): Reply {
  const e = ctx.store.events.get(Number(req.pathParams["id"]));
  const t = e ? visibleEvent(ctx, req, e) : null;
  if (!e || !t) return notFound();
  const now = ctx.now();
  return json(200, {
    event: detailedEvent(ctx.store, e, t, req.user, now, { after: now, before: null, limit: 50 }),
  });
}

export const eventRoutes: Route[] = [
  route("GET", "/discourse-post-event/events", listEvents),
  route("GET", "/discourse-post-event/events/:id", showEvent),
];
