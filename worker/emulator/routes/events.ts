/** discourse-post-event: GET /discourse-post-event/events.json and /events/:id.json. */
import type { Route, RouteRequest, SiteContext } from "../context.ts";
import { route } from "../context.ts";
import { invalidParameters, notFound } from "../errors.ts";
import { basicEvent, detailedEvent } from "../event-serializer.ts";
import type { PostEvent, Topic } from "../model.ts";
import type { Reply } from "../reply.ts";
import { json } from "../reply.ts";
import { listable } from "../visibility.ts";

/** limit: default and maximum 200 (Finder.limit_param). */
const DEFAULT_LIMIT = 200;

function visibleEvent(ctx: SiteContext, req: RouteRequest, e: PostEvent): Topic | null {
  const t = ctx.store.topic(e.topicId);
  return t && listable(ctx.store, t, req.user) ? t : null;
}

type Filter = (e: PostEvent, t: Topic) => boolean;

/** Finder.time_param: blank is no bound, "now" is now, anything unparsable is a 400. */
function timeParam(v: string | null, now: number): number | null | "invalid" {
  if (v === null || v === "") return null;
  if (v === "now") return now;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? "invalid" : ms;
}

/**
 * Finder.filter_by_dates: a one-off event starts in [after, before) (or is still running with
 * include_ongoing); a recurring one started before `before` and has not stopped recurring by `after`.
 */
function dateFilter(after: number | null, before: number | null, includeOngoing: boolean): Filter {
  return (e) => {
    if (e.recurrence) {
      const stillRecurring =
        after === null || e.startsAt >= after || e.recurrenceUntil === null || e.recurrenceUntil >= after;
      return stillRecurring && (before === null || e.startsAt < before);
    }
    const afterOk =
      after === null || e.startsAt >= after || (includeOngoing && e.endsAt !== null && e.endsAt >= after);
    return afterOk && (before === null || e.startsAt < before);
  };
}

function listEvents(ctx: SiteContext, req: RouteRequest): Reply {
  const q = req.query;
  const now = ctx.now();
  const after = timeParam(q.get("after"), now);
  if (after === "invalid") return invalidParameters("after");
  const before = timeParam(q.get("before"), now);
  if (before === "invalid") return invalidParameters("before");
  const limitParam = q.get("limit");
  const limitValue = limitParam === null || limitParam === "" ? DEFAULT_LIMIT : Number(limitParam);
  if (!Number.isInteger(limitValue) || limitValue < 1) return invalidParameters("limit");
  const limit = Math.min(limitValue, DEFAULT_LIMIT);

  const filters: Filter[] = [dateFilter(after, before, Boolean(q.get("include_ongoing")))];
  // closed events are left out unless include_closed is given
  if (!q.get("include_closed")) filters.push((e) => e.attributes["closed"] !== "true");
  const postId = q.get("post_id");
  if (postId) filters.push((e) => String(e.id) === postId);
  const topicId = q.get("topic_id");
  if (topicId) filters.push((_e, t) => String(t.id) === topicId);
  const categoryId = q.get("category_id");
  if (categoryId) {
    // include_subcategories counts when present at all, whatever its value
    const ids = q.get("include_subcategories")
      ? ctx.store.withSubcategories(Number(categoryId))
      : [Number(categoryId)];
    filters.push((_e, t) => ids.includes(t.categoryId));
  }
  const tags = (q.get("tags") ?? "")
    .split(",")
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
  if (tags.length > 0) filters.push((_e, t) => tags.every((name) => ctx.store.tagNames(t).includes(name)));

  const rows: Array<{ e: PostEvent; t: Topic }> = [];
  for (const e of ctx.store.events.values()) {
    const t = visibleEvent(ctx, req, e);
    if (t && filters.every((f) => f(e, t))) rows.push({ e, t });
  }
  const dir = q.get("order") === "desc" ? -1 : 1;
  rows.sort((a, b) => dir * (a.e.startsAt - b.e.startsAt || a.e.id - b.e.id));
  // occurrences are expanded from `after` (default now), 50 unless a limit is given
  const window = { after: after ?? now, before, limit: limitParam ? limit : 50 };
  const details = q.get("include_details") === "true";
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
