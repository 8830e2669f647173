/** The plugin's BasicEventSerializer and EventSerializer (discourse-events, 2026). */
import { DateTime } from "luxon";
import { expandOccurrences, rruleString } from "./event-recurrence.ts";
import type { PostEvent, Topic, User } from "./model.ts";
import { iso, isStaff } from "./model.ts";
import type { Json } from "./serialize.ts";
import { basicUser, tagObjects } from "./serialize.ts";
import type { Store } from "./state.ts";

const zoneOf = (e: PostEvent): string => e.timezone ?? "UTC";

/** format_time: a date for all-day events, floating local time with show_local_time, else ISO with offset. */
function formatTime(e: PostEvent, ms: number): string {
  if (e.allDay) return DateTime.fromMillis(ms, { zone: "UTC" }).toFormat("yyyy-LL-dd");
  const t = DateTime.fromMillis(ms, { zone: zoneOf(e) });
  return e.showLocalTime ? t.toFormat("yyyy-LL-dd'T'HH:mm:ss") : (t.toISO() as string);
}

function duration(e: PostEvent): string | null {
  if (e.endsAt === null) return null;
  const secs = Math.max(0, Math.round((e.endsAt - e.startsAt) / 1000));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(secs / 3600))}:${pad(Math.floor((secs % 3600) / 60))}:${pad(secs % 60)}`;
}

export interface OccurrenceWindow {
  after: number;
  before: number | null;
  limit: number;
}

export function basicEvent(store: Store, e: PostEvent, t: Topic, window: OccurrenceWindow): Json {
  const out: Json = {
    id: e.id,
    category_id: t.categoryId,
    name: e.name,
    recurrence: e.recurrence,
    recurrence_until: e.recurrenceUntil === null ? null : iso(e.recurrenceUntil),
    starts_at: formatTime(e, e.startsAt),
    ends_at: e.allDay
      ? e.endsAt === null
        ? null
        : formatTime(e, e.endsAt)
      : formatTime(e, e.endsAt ?? e.startsAt + 3_600_000),
  };
  const rrule = rruleString(e);
  if (rrule !== null) out["rrule"] = rrule;
  out["show_local_time"] = e.showLocalTime;
  out["timezone"] = e.timezone;
  out["post"] = {
    id: e.id,
    post_number: 1,
    url: `/t/${t.slug}/${t.id}/1`,
    category_slug: store.category(t.categoryId)?.slug ?? "",
    topic: { id: t.id, title: t.title, slug: t.slug, tags: tagObjects(store, t), tags_descriptions: {} },
  };
  const d = duration(e);
  if (d !== null) out["duration"] = d;
  out["occurrences"] = expandOccurrences(e, window.after, window.before, window.limit).map((o) => ({
    starts_at: formatTime(e, o.startsAt),
    ends_at: o.endsAt === null ? null : formatTime(e, o.endsAt),
  }));
  out["all_day"] = e.allDay;
  out["custom_fields"] = {};
  return out;
}

export function detailedEvent(
  store: Store,
  e: PostEvent,
  t: Topic,
  viewer: User | null,
  now: number,
  window: OccurrenceWindow,
): Json {
  const creator = store.userById(t.posts[0]?.userId ?? t.userId);
  const end = e.endsAt ?? e.startsAt;
  const staff = viewer !== null && isStaff(viewer);
  const out: Json = {
    ...basicEvent(store, e, t, window),
    can_act_on_discourse_post_event: staff,
    can_update_attendance: viewer !== null,
    creator: creator ? basicUser(creator) : null,
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
    should_display_invitees: false,
    stats: { going: 0, interested: 0, not_going: 0, invited: 0 },
    status: e.status,
    description: e.description,
    location: e.location,
    url_restates_location: false,
    watching_invitee: null,
    chat_enabled: null,
    livestream: null,
    max_attendees: null,
    at_capacity: false,
    image_upload: null,
  };
  if (e.url) out["url"] = e.url;
  return out;
}
