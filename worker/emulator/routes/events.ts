/** discourse-post-event: GET /discourse-post-event/events.json and /events/:id.json. */
import { DateTime } from "luxon";
import type { Route, RouteRequest, SiteContext } from "../context.ts";
import { route } from "../context.ts";
import { notFound } from "../errors.ts";
import type { PostEvent, Topic, User } from "../model.ts";
import { iso, isStaff } from "../model.ts";
import type { Reply } from "../reply.ts";
import { json } from "../reply.ts";
import type { Json } from "../serialize.ts";
import { basicUser } from "../serialize.ts";
import { listable } from "../visibility.ts";

/** limit: default and maximum 200 (the plugin's API docs). */
const DEFAULT_LIMIT = 200;

function duration(e: PostEvent): string {
  const secs = Math.max(0, Math.round(((e.endsAt ?? e.startsAt + 3_600_000) - e.startsAt) / 1000));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(secs / 3600))}:${pad(Math.floor((secs % 3600) / 60))}:${pad(secs % 60)}`;
}

const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/**
 * RRuleConfigurator.rule, including its quirks (every_two_weeks / every_four_weeks carry no BYDAY and
 * end in ";"). Weekday and month position are taken in the event's time zone.
 */
export function rruleFor(e: PostEvent): string | null {
  if (!e.recurrence) return null;
  const start = DateTime.fromMillis(e.startsAt, { zone: e.timezone ?? "UTC" });
  const day = WEEKDAYS[start.weekday - 1] as string;
  const rules: Record<string, string> = {
    every_day: "FREQ=DAILY",
    every_month: `FREQ=MONTHLY;BYDAY=${Math.ceil(start.day / 7)}${day}`,
    every_weekday: "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
    every_two_weeks: "FREQ=WEEKLY;INTERVAL=2;",
    every_four_weeks: "FREQ=WEEKLY;INTERVAL=4;",
  };
  const rule = rules[e.recurrence] ?? `FREQ=WEEKLY;BYDAY=${day}`;
  if (e.recurrenceUntil === null) return rule;
  return `${rule};UNTIL=${DateTime.fromMillis(e.recurrenceUntil, { zone: "UTC" }).toFormat("yyyyLLdd'T'HHmmss'Z'")}`;
}

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** Fields both serializers share (the plugin's basic and detailed event serializers). */
function common(e: PostEvent, t: Topic): Json {
  const out: Json = {
    id: e.id,
    category_id: t.categoryId,
    name: e.name,
    recurrence: e.recurrence,
    recurrence_until: isoOrNull(e.recurrenceUntil),
    starts_at: iso(e.startsAt),
    ends_at: isoOrNull(e.endsAt),
    show_local_time: e.showLocalTime,
    timezone: e.timezone,
    duration: duration(e),
  };
  const rule = rruleFor(e);
  if (rule !== null) out["rrule"] = rule;
  return out;
}

function postRef(ctx: SiteContext, e: PostEvent, t: Topic, withSlug: boolean): Json {
  const topic: Json = { id: t.id, title: t.title, tags: ctx.store.tagNames(t), tags_descriptions: {} };
  if (withSlug) topic["slug"] = t.slug;
  return {
    id: e.id,
    post_number: 1,
    url: `/t/${t.slug}/${t.id}/1`,
    category_slug: ctx.store.category(t.categoryId)?.slug ?? "",
    topic,
  };
}

/** The list's basic shape: with all_day and occurrences, topic slug included. */
function basicEvent(ctx: SiteContext, e: PostEvent, t: Topic): Json {
  return {
    ...common(e, t),
    all_day: e.allDay,
    post: postRef(ctx, e, t, true),
    occurrences: [{ starts_at: iso(e.startsAt), ends_at: isoOrNull(e.endsAt) }],
  };
}

/** include_details=true and /events/:id.json: the full event serializer. */
function detailedEvent(ctx: SiteContext, e: PostEvent, t: Topic, viewer: User | null, now: number): Json {
  const creator = ctx.store.userById(t.posts[0]?.userId ?? t.userId);
  const end = e.endsAt ?? e.startsAt;
  const staff = viewer !== null && isStaff(viewer);
  return {
    ...common(e, t),
    can_act_on_discourse_post_event: staff,
    can_update_attendance: viewer !== null,
    creator: creator ? basicUser(creator) : null,
    custom_fields: {},
    is_closed: e.attributes["closed"] === "true",
    is_expired: end < now,
    is_ongoing: e.startsAt <= now && now <= end,
    is_private: e.status === "private",
    is_public: e.status === "public",
    is_standalone: e.status === "standalone",
    minimal: e.attributes["minimal"] === "true" ? true : null,
    raw_invitees: e.attributes["allowedGroups"]?.split(",") ?? null,
    reminders: [],
    sample_invitees: [],
    should_display_invitees: e.status !== "standalone",
    stats: { going: 0, interested: 0, not_going: 0, invited: 0 },
    status: e.status,
    url: e.url ?? "",
    description: e.description,
    location: e.location,
    watching_invitee: null,
    chat_enabled: null,
    max_attendees: null,
    at_capacity: false,
    post: postRef(ctx, e, t, false),
  };
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
  return json(200, {
    events: rows
      .slice(0, limit)
      .map(({ e, t }) => (details ? detailedEvent(ctx, e, t, req.user, now) : basicEvent(ctx, e, t))),
  });
}

function showEvent(ctx: SiteContext, req: RouteRequest): Reply {
  const e = ctx.store.events.get(Number(req.pathParams["id"]));
  const t = e ? visibleEvent(ctx, req, e) : null;
  if (!e || !t) return notFound();
  return json(200, { event: detailedEvent(ctx, e, t, req.user, ctx.now()) });
}

export const eventRoutes: Route[] = [
  route("GET", "/discourse-post-event/events", listEvents),
  route("GET", "/discourse-post-event/events/:id", showEvent),
];
