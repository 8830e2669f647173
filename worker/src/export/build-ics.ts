/**
 * Records + calendar-plugin events → one iCalendar document. Pure: same input, same bytes, so the
 * ETag only changes when an event does and subscribers keep getting 304s between changes.
 */
import ical, { escape, ICalCalendarMethod, ICalEventStatus, type ICalEvent } from "ical-generator";
import { DateTime } from "luxon";
import type { CalendarEvent } from "../core/event.ts";
import type { ExportConfig } from "../core/feed.ts";
import type { ImportedEventRecord } from "../core/imported-event.ts";
import type { PluginEvent } from "./types.ts";
import { isKnownZone, vtimezoneGenerator } from "./vtimezone.ts";
import { WallTime, zoneOf } from "./wall-time.ts";

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

/** One VEVENT's worth of data, whatever it came from. */
interface ExportEvent {
  uid: string;
  /** ISO instant or YYYY-MM-DD */
  recurrenceId?: string;
  summary: string;
  description: string;
  location?: string;
  geo?: { lat: number; lon: number };
  url: string;
  status: CalendarEvent["status"];
  sequence: number;
  stamp: string;
  time: CalendarEvent["time"];
  rrule?: string;
  /** Every start of a series master (ISO instants, or YYYY-MM-DD when all-day). */
  rdates?: string[];
  categories: string[];
}

export function buildIcs(input: BuildInput): BuildOutput {
  const base = input.siteBaseUrl.replace(/\/+$/, "");
  const occurrences = input.records.map((r) => fromRecord(r, base));
  const events = [
    ...occurrences,
    ...seriesMasters(occurrences),
    ...input.pluginEvents.map((e) => fromPluginEvent(e, base)),
  ].sort(compareEvents);
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
  return { body: cal.toString(), eventCount: events.length };
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

/**
 * Occurrences of a series are written as overrides (RECURRENCE-ID) of a master whose RDATEs list
 * every occurrence: several clients (ICSx5, Nextcloud, some sync scripts) drop overrides that have
 * no master, and the master needs no RRULE the window may have cut.
 */
function seriesMasters(events: ExportEvent[]): ExportEvent[] {
  const series = new Map<string, ExportEvent[]>();
  const singles = new Set<string>();
  for (const e of events) {
    if (!e.recurrenceId) singles.add(e.uid);
    else series.set(e.uid, [...(series.get(e.uid) ?? []), e]);
  }
  const masters: ExportEvent[] = [];
  for (const [uid, group] of series) {
    if (singles.has(uid)) continue;
    const ids = [...new Set(group.map((e) => e.recurrenceId!))].sort();
    const first = group.find((e) => e.recurrenceId === ids[0])!;
    const time = masterSpan(first);
    if (!time) continue;
    const { recurrenceId: _drop, ...rest } = first;
    masters.push({
      ...rest,
      time,
      status: group.every((e) => e.status === "cancelled") ? "cancelled" : "confirmed",
      sequence: Math.max(...group.map((e) => e.sequence)),
      stamp: group.map((e) => e.stamp).sort()[group.length - 1]!,
      // DTSTART is listed too: RFC 5545 counts a duplicate once, and ical.js (Thunderbird) only
      // expands DTSTART itself when there is an RRULE.
      rdates: ids,
    });
  }
  return masters;
}

/** The master starts at the first occurrence's original start and lasts as long as that occurrence. */
function masterSpan(first: ExportEvent): CalendarEvent["time"] | undefined {
  const rid = first.recurrenceId!;
  const t = first.time;
  if (/^\d{4}-\d{2}-\d{2}$/.test(rid)) {
    if (t.kind !== "allDay") return undefined;
    const days = Math.round((Date.parse(t.endDate) - Date.parse(t.startDate)) / 86_400_000);
    const start = DateTime.fromISO(rid, { zone: "UTC" });
    return { kind: "allDay", startDate: rid, endDate: start.plus({ days: Math.max(1, days) }).toISODate()! };
  }
  if (t.kind !== "timed") return undefined;
  const length = Math.max(0, Date.parse(t.end) - Date.parse(t.start));
  const start = Date.parse(rid);
  if (!Number.isFinite(start)) return undefined;
  return {
    kind: "timed",
    start: new Date(start).toISOString(),
    end: new Date(start + length).toISOString(),
    timezone: t.timezone,
  };
}

/**
 * One RDATE per line, in UTC: ical-generator escapes commas in custom values (so no lists) and
 * upper-cases custom property names with their parameters (so no TZID, whose case matters).
 */
function rdateLine(value: string, time: CalendarEvent["time"]): [string, string] {
  if (time.kind === "allDay") return ["RDATE;VALUE=DATE", value.replace(/-/g, "")];
  return [
    "RDATE",
    new Date(value)
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}Z$/, "Z"),
  ];
}

function fromPluginEvent(p: PluginEvent, base: string): ExportEvent {
  const host = new URL(base).host;
  const url = p.postUrl ? new URL(p.postUrl, base + "/").toString() : `${base}/t/${p.topicId ?? ""}`;
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

const EMAIL =
  /(?<![\p{L}\p{N}._%+-])(?:mailto:)?[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/**
 * Text fit for a published feed: no control characters (line breaks are escaped later) and no
 * e-mail addresses — a public feed would hand them to every subscriber and scraper.
 */
export function clean(text: string): string {
  return (
    text
      .replace(/\r\n?/g, "\n")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, "")
      .replace(EMAIL, "[e-mail hidden]")
  );
}

/** UID is written unescaped by ical-generator: nothing that could end the line or start a parameter. */
function cleanUid(uid: string): string {
  // eslint-disable-next-line no-control-regex
  return uid.replace(/[\u0000-\u001F\u007F]/g, "").trim() || "unknown";
}

function isHttpUrl(u: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(u);
}

function validInstant(s: string | undefined): string | undefined {
  return s && DateTime.fromISO(s).isValid ? s : undefined;
}

function validGeo(g: { lat: number; lon: number }): boolean {
  return Number.isFinite(g.lat) && Number.isFinite(g.lon) && Math.abs(g.lat) <= 90 && Math.abs(g.lon) <= 180;
}
