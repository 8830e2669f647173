/**
 * Records + calendar-plugin events → one iCalendar document. Pure: same input, same bytes, so the
 * ETag only changes when an event does and subscribers keep getting 304s between changes.
 */
import ical, { escape, ICalCalendarMethod, ICalEventStatus, type ICalEvent } from "ical-generator";
import { DateTime } from "luxon";
import type { ExportConfig } from "../core/feed.ts";
import type { ImportedEventRecord } from "../core/imported-event.ts";
import { clean, cleanUid, isHttpUrl, validGeo, validInstant, type ExportEvent } from "./export-event.ts";
import { fromPluginEvent } from "./plugin-event.ts";
import { rdateLine, seriesMasters } from "./series.ts";
import type { PluginEvent } from "./types.ts";
import { vtimezoneGenerator } from "./vtimezone.ts";
import { WallTime, zoneOf } from "./wall-time.ts";

export { clean } from "./export-event.ts";

export const PRODID = "//discourse-ics//export//EN";

export interface BuildInput {
  config: ExportConfig;
  /** The Discourse site, e.g. "https://forum.example.org": topic URLs and plugin UIDs. */
  siteBaseUrl: string;
  records: ImportedEventRecord[];
  pluginEvents: PluginEvent[];
}

export interface BuildOutput {
  body: string;
  eventCount: number;
}

export function buildIcs(input: BuildInput): BuildOutput {
  const base = input.siteBaseUrl.replace(/\/+$/, "");
  const occurrences = input.records.map((r) => fromRecord(r, base));
  const plugin = input.pluginEvents.map((e) => fromPluginEvent(e, base));
  const events = [...occurrences, ...seriesMasters(occurrences), ...plugin].sort(compareEvents);
  const [fromYear, toYear] = yearRange(events);
  const config = input.config;
  const cal = ical({
    prodId: PRODID,
    method: ICalCalendarMethod.PUBLISH,
    // ical-generator writes both straight into the file: escape them like any TEXT value.
    name: escape(clean(config.title ?? config.name), false),
    description: escape(clean(config.description ?? `Events from ${base}`), false),
    ttl: Math.max(1, config.refreshMinutes) * 60,
    timezone: { name: null, generator: vtimezoneGenerator(fromYear, toYear) },
  });
  for (const e of events) addEvent(cal.createEvent({ start: new Date(0) }), e);
  // Masters are bookkeeping for clients: the count is of occurrences and plugin events.
  return { body: cal.toString(), eventCount: occurrences.length + plugin.length };
}

function addEvent(ev: ICalEvent, e: ExportEvent): void {
  ev.id(e.uid);
  ev.sequence(e.sequence);
  ev.stamp(WallTime.fromIso(e.stamp, null));
  ev.lastModified(WallTime.fromIso(e.stamp, null));
  if (e.time.kind === "allDay") {
    ev.allDay(true);
    ev.start(DateTime.fromISO(e.time.startDate, { zone: "UTC" }));
    ev.end(DateTime.fromISO(e.time.endDate, { zone: "UTC" }));
  } else {
    const zone = zoneOf(e.time.timezone);
    if (zone) ev.timezone(e.time.timezone);
    ev.start(WallTime.fromIso(e.time.start, zone));
    ev.end(WallTime.fromIso(e.time.end, zone));
  }
  // Properties ical-generator cannot write; the tuple form of x() writes any name as given.
  const extra: [string, string][] = [];
  if (e.recurrenceId) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(e.recurrenceId)) {
      // ical-generator only writes date-times here; an all-day occurrence needs VALUE=DATE to match its series.
      extra.push(["RECURRENCE-ID;VALUE=DATE", e.recurrenceId.replace(/-/g, "")]);
    } else {
      ev.recurrenceId(
        WallTime.fromIso(e.recurrenceId, e.time.kind === "timed" ? zoneOf(e.time.timezone) : null),
      );
    }
  }
  if (e.rrule) ev.repeating(`RRULE:${e.rrule}`);
  for (const d of e.rdates ?? []) extra.push(rdateLine(d, e.time));
  if (extra.length > 0) ev.x(extra);
  ev.summary(e.summary);
  if (e.description) ev.description(e.description);
  if (e.location && e.geo) ev.location({ title: e.location, geo: e.geo });
  else if (e.location) ev.location(e.location);
  else if (e.geo) ev.location({ geo: e.geo });
  ev.url(e.url);
  ev.status(STATUS[e.status]);
  if (e.categories.length > 0) ev.categories(e.categories.map((name) => ({ name })));
}

const STATUS = {
  confirmed: ICalEventStatus.CONFIRMED,
  tentative: ICalEventStatus.TENTATIVE,
  cancelled: ICalEventStatus.CANCELLED,
} as const;

function fromRecord(r: ImportedEventRecord, base: string): ExportEvent {
  const e = r.event;
  const topicUrl = `${base}/t/${r.topicId}`;
  const out: ExportEvent = {
    uid: cleanUid(e.uid),
    summary: clean(e.summary),
    description: [clean(e.description), e.url && isHttpUrl(e.url) ? e.url : "", topicUrl]
      .filter(Boolean)
      .join("\n\n"),
    url: topicUrl,
    status: r.state === "cancelled" ? "cancelled" : e.status,
    // Both rise when the event changes upstream; the revision also when our copy of it does.
    sequence: Math.max(0, e.sequence) + Math.max(0, r.revision),
    stamp: validInstant(r.updatedAt) ?? "1970-01-01T00:00:00.000Z",
    time: e.time,
    categories: e.categories.map(clean).filter(Boolean),
  };
  if (e.recurrenceId) out.recurrenceId = e.recurrenceId;
  if (e.location) out.location = clean(e.location);
  if (e.geo && validGeo(e.geo)) out.geo = e.geo;
  return out;
}

function compareEvents(a: ExportEvent, b: ExportEvent): number {
  const sa = a.time.kind === "allDay" ? a.time.startDate : a.time.start;
  const sb = b.time.kind === "allDay" ? b.time.startDate : b.time.start;
  return sa < sb ? -1 : sa > sb ? 1 : a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
}

function yearRange(events: ExportEvent[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const e of events) {
    if (e.time.kind !== "timed") continue;
    min = Math.min(min, Number(e.time.start.slice(0, 4)));
    max = Math.max(max, Number(e.time.end.slice(0, 4)));
  }
  if (!Number.isFinite(min)) return [2000, 2001];
  // A year either side so regular rules repeat often enough to be written as one RRULE.
  return [min - 1, max + 1];
}
