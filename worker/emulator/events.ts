/**
 * discourse-post-event: [event] blocks in a first post become event records. Validation follows the
 * plugin's Events::Validator order; the message texts are the plugin's English locale as remembered,
 * not confirmed from source (clients should not match on them).
 */
import { DateTime, IANAZone } from "luxon";
import { findEventBlocks } from "./bbcode.ts";
import type { PostEvent, User } from "./model.ts";
import { isStaff } from "./model.ts";
import type { SiteSettings } from "./settings.ts";

export const EVENT_ERRORS = {
  onlyOne: "A post can only have one event.",
  firstPost: "An event can only be in the first post of a topic.",
  notAllowed: "Current user is not allowed to create events.",
  timezone: (tz: string) => `Timezone ${tz} is not valid.`,
  start: "An event requires a valid start date.",
  end: "End date must be a valid date.",
  order: "An event must end after it starts.",
  name: "Event name length must be between 5 and 255 characters.",
  recurrence: (valid: string[]) => `Invalid recurrence, valid values are: ${valid.join(", ")}.`,
};

export const RECURRENCES = [
  "every_day",
  "every_month",
  "every_weekday",
  "every_week",
  "every_two_weeks",
  "every_four_weeks",
];

const STATUSES = ["standalone", "public", "private"];

export type EventParse =
  | { ok: true; event: Omit<PostEvent, "id" | "topicId"> | null }
  | { ok: false; errors: string[] };

/** ActiveSupport::TimeZone[tz].parse: a local time in `zone` unless the string carries its own offset. */
export function parseEventTime(value: string, zone: string): DateTime | null {
  const v = value.trim();
  if (v === "") return null;
  const iso = v.replace(/^(\d{4}-\d\d-\d\d)[ T]/, "$1T");
  let dt = DateTime.fromISO(iso, { zone, setZone: true });
  if (!dt.isValid) dt = DateTime.fromRFC2822(v, { zone, setZone: true });
  return dt.isValid ? dt : null;
}

export function canCreateEvents(u: User, s: SiteSettings): boolean {
  return isStaff(u) || u.groups.some((g) => s.discourse_post_event_allowed_on_groups.includes(g));
}

export function eventFromRaw(raw: string, u: User, s: SiteSettings, firstPost = true): EventParse {
  const blocks = findEventBlocks(raw).filter((b) => b.attributes["start"] !== undefined);
  if (blocks.length === 0) return { ok: true, event: null };
  const fail = (e: string): EventParse => ({ ok: false, errors: [e] });
  if (blocks.length > 1) return fail(EVENT_ERRORS.onlyOne);
  if (!firstPost) return fail(EVENT_ERRORS.firstPost);
  if (!canCreateEvents(u, s)) return fail(EVENT_ERRORS.notAllowed);
  const a = (blocks[0] as { attributes: Record<string, string>; description: string }).attributes;
  const tz = a["timezone"];
  if (tz !== undefined && tz !== "" && !IANAZone.isValidZone(tz)) return fail(EVENT_ERRORS.timezone(tz));
  const zone = tz && tz !== "" ? tz : "UTC";
  const allDay = a["allDay"] === "true";
  const parse = (v: string | undefined): DateTime | null =>
    v === undefined ? null : allDay ? parseEventTime(v.slice(0, 10), "UTC") : parseEventTime(v, zone);
  const start = parse(a["start"]);
  if (!start) return fail(EVENT_ERRORS.start);
  let end = parse(a["end"]);
  if (a["end"] !== undefined && a["end"] !== "" && !end) return fail(EVENT_ERRORS.end);
  if (allDay && end) end = end.endOf("day");
  if (end && end.toMillis() <= start.toMillis()) return fail(EVENT_ERRORS.order);
  const name = a["name"];
  if (name !== undefined && name !== "" && (name.length < 5 || name.length > 255))
    return fail(EVENT_ERRORS.name);
  const recurrence = a["recurrence"];
  if (recurrence && !RECURRENCES.includes(recurrence)) return fail(EVENT_ERRORS.recurrence(RECURRENCES));
  const until = a["recurrenceUntil"] ? parseEventTime(a["recurrenceUntil"], zone) : null;
  return {
    ok: true,
    event: {
      name: name && name !== "" ? name : null,
      startsAt: start.toMillis(),
      endsAt: end ? end.toMillis() : null,
      timezone: tz && tz !== "" ? tz : null,
      allDay,
      showLocalTime: a["showLocalTime"] === "true",
      status: STATUSES.includes(a["status"] ?? "") ? (a["status"] as string) : "standalone",
      url: a["url"] ?? null,
      location: a["location"] ?? null,
      recurrence: a["recurrence"] ?? null,
      recurrenceUntil: until ? until.toMillis() : null,
      description: (blocks[0] as { description: string }).description || null,
      attributes: a,
    },
  };
}
