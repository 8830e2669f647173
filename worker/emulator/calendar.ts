/** Keeps a first post's calendar event in step with its raw and fires the plugin's calendar_event webhooks. */
import type { SiteContext } from "./context.ts";
import type { PostEvent, Topic } from "./model.ts";
import { iso } from "./model.ts";
import type { Json } from "./serialize.ts";
import type { Store } from "./state.ts";

type ParsedEvent = Omit<PostEvent, "id" | "topicId">;

/** WebHook.build_calendar_event_payload */
function payload(store: Store, e: PostEvent, t: Topic): Json {
  const day = (ms: number | null) => (ms === null ? null : iso(ms).slice(0, 10));
  return {
    event: {
      id: e.id,
      name: e.name,
      description: e.description,
      location: e.location,
      url: e.url,
      status: e.status,
      starts_at: e.allDay ? day(e.startsAt) : iso(e.startsAt),
      ends_at: e.allDay ? day(e.endsAt) : e.endsAt === null ? null : iso(e.endsAt),
      all_day: e.allDay,
      recurrence: e.recurrence,
      recurrence_until: e.recurrenceUntil === null ? null : iso(e.recurrenceUntil),
      timezone: e.timezone,
      custom_fields: {},
      closed: e.attributes["closed"] === "true",
      max_attendees: null,
      chat_enabled: null,
      allowed_groups: e.attributes["allowedGroups"]?.split(",") ?? null,
    },
    post: { id: e.id, post_number: 1, url: `/t/${t.slug}/${t.id}/1` },
    topic: {
      id: t.id,
      title: t.title,
      url: `/t/${t.slug}/${t.id}`,
      category_id: t.categoryId,
      tags: store.tagNames(t),
    },
  };
}

/** Sets, replaces or removes the event of `topic`'s first post (id `postId`), with the matching webhook. */
export function syncEvent(
  ctx: Pick<SiteContext, "store" | "emit">,
  topic: Topic,
  postId: number,
  parsed: ParsedEvent | null,
): void {
  const before = ctx.store.events.get(postId);
  if (parsed) {
    const event: PostEvent = { ...parsed, id: postId, topicId: topic.id };
    ctx.store.events.set(postId, event);
    const name = before ? "calendar_event_updated" : "calendar_event_created";
    ctx.emit({ type: "calendar_event", name, payload: payload(ctx.store, event, topic) });
  } else if (before) {
    ctx.store.events.delete(postId);
    ctx.emit({
      type: "calendar_event",
      name: "calendar_event_destroyed",
      payload: payload(ctx.store, before, topic),
    });
  }
}
