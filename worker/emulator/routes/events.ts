/** discourse-post-event: GET /discourse-post-event/events.json and /events/:id.json. */
import type { Route, RouteRequest, SiteContext } from "../context.ts";
import { route } from "../context.ts";
import { notFound } from "../errors.ts";
import type { PostEvent, Topic } from "../model.ts";
import { iso } from "../model.ts";
import type { Reply } from "../reply.ts";
import { json } from "../reply.ts";
import type { Json } from "../serialize.ts";
import { tagObjects } from "../serialize.ts";
import { listable } from "../visibility.ts";

const DEFAULT_LIMIT = 200;

function duration(e: PostEvent): string {
  const secs = Math.max(0, Math.round(((e.endsAt ?? e.startsAt + 3_600_000) - e.startsAt) / 1000));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(secs / 3600))}:${pad(Math.floor((secs % 3600) / 60))}:${pad(secs % 60)}`;
}

function serializeEvent(ctx: SiteContext, e: PostEvent, t: Topic, details: boolean): Json {
  const category = ctx.store.category(t.categoryId);
  const first = t.posts[0];
  const out: Json = {
    id: e.id,
    name: e.name,
    starts_at: iso(e.startsAt),
    ends_at: e.endsAt === null ? null : iso(e.endsAt),
    timezone: e.timezone,
    show_local_time: e.showLocalTime,
    all_day: e.allDay,
    recurrence: e.recurrence,
    recurrence_until: e.recurrenceUntil === null ? null : iso(e.recurrenceUntil),
    duration: duration(e),
    status: e.status,
    url: e.url,
    location: e.location,
    category_id: t.categoryId,
    post: {
      id: first?.id ?? e.id,
      post_number: 1,
      url: `/t/${t.slug}/${t.id}/1`,
      category_slug: category?.slug ?? null,
      topic: { id: t.id, title: t.title, slug: t.slug, tags: tagObjects(ctx.store, t) },
    },
    occurrences: [{ starts_at: iso(e.startsAt), ends_at: e.endsAt === null ? null : iso(e.endsAt) }],
  };
  if (details) {
    out["description"] = e.description;
    out["raw_invitees"] = e.attributes["allowedGroups"]?.split(",") ?? [];
    out["custom_fields"] = {};
  }
  return out;
}

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
  const limit = Math.max(1, Math.min(Number(q.get("limit") ?? DEFAULT_LIMIT) || DEFAULT_LIMIT, 500));
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
  return json(200, { events: rows.slice(0, limit).map(({ e, t }) => serializeEvent(ctx, e, t, details)) });
}

function showEvent(ctx: SiteContext, req: RouteRequest): Reply {
  const e = ctx.store.events.get(Number(req.pathParams["id"]));
  const t = e ? visibleEvent(ctx, req, e) : null;
  if (!e || !t) return notFound();
  return json(200, { event: serializeEvent(ctx, e, t, true) });
}

export const eventRoutes: Route[] = [
  route("GET", "/discourse-post-event/events", listEvents),
  route("GET", "/discourse-post-event/events/:id", showEvent),
];
