/**
 * Calendar-plugin events (discourse-post-event) as export events: a UID of their own that never
 * changes, the post as URL, and the shapes different plugin builds write times and rules in.
 */
import { DateTime } from "luxon";
import type { CalendarEvent } from "../core/event.ts";
import { clean, isHttpUrl, validInstant, type ExportEvent } from "./export-event.ts";
import type { PluginEvent } from "./types.ts";
import { isKnownZone } from "./vtimezone.ts";

export function fromPluginEvent(p: PluginEvent, base: string): ExportEvent {
  const host = new URL(base).host;
  const url = p.postUrl
    ? new URL(p.postUrl, base + "/").toString()
    : p.topicId !== undefined
      ? `${base}/t/${p.topicId}`
      : base;
  const out: ExportEvent = {
    uid: `discourse-post-event-${p.id}@${host}`,
    summary: clean(p.name || p.topicTitle || "Event"),
    description: [clean(p.description ?? ""), p.url && isHttpUrl(p.url) ? p.url : "", url]
      .filter(Boolean)
      .join("\n\n"),
    url,
    status: "confirmed",
    sequence: p.sequence ?? 0,
    stamp: validInstant(p.changedAt) ?? "1970-01-01T00:00:00.000Z",
    time: pluginSpan(p),
    categories: [],
  };
  if (p.location) out.location = clean(p.location);
  const rule = p.rrule ? pluginRule(p.rrule) : undefined;
  if (rule) out.rrule = rule;
  return out;
}

function pluginSpan(p: PluginEvent): CalendarEvent["time"] {
  if (p.allDay) {
    // Dates as written, in the offset the plugin wrote them with (never shifted through UTC).
    const day = (s: string) => DateTime.fromISO(s, { setZone: true });
    const start = day(p.startsAt).startOf("day");
    let endDate = start.plus({ days: 1 }).toISODate()!;
    if (p.endsAt) {
      const end = day(p.endsAt);
      const endDay = end.startOf("day");
      // The end is the last day itself (a date, or the end of that day); a bare midnight already excludes it.
      const exclusive = DATE_ONLY.test(p.endsAt) || !end.equals(endDay) ? endDay.plus({ days: 1 }) : endDay;
      if (exclusive > start) endDate = exclusive.toISODate()!;
    }
    return { kind: "allDay", startDate: start.toISODate()!, endDate };
  }
  const zone = p.timezone && isKnownZone(p.timezone) ? p.timezone : "UTC";
  // Plugin builds that show local time write times without an offset, meaning the event's zone.
  const start = DateTime.fromISO(p.startsAt, { zone });
  const end = p.endsAt ? DateTime.fromISO(p.endsAt, { zone }) : null;
  const realEnd = end && end > start ? end : start.plus({ hours: 1 });
  return { kind: "timed", start: start.toUTC().toISO()!, end: realEnd.toUTC().toISO()!, timezone: zone };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The RRULE of the plugin's rrule text, which newer builds write as "DTSTART:…\nRRULE:…". */
function pluginRule(text: string): string | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.find((l) => /^RRULE:/i.test(l)) ?? (lines.length === 1 ? lines[0] : undefined);
  const rule = line?.replace(/^RRULE:/i, "");
  return rule && /^FREQ=[A-Z]+(;[A-Z-]+=[A-Z0-9,+-]+)*$/i.test(rule) ? rule : undefined;
}
