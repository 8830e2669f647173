/**
 * Occurrences of a series are written as overrides (RECURRENCE-ID) of a master whose RDATEs list
 * every occurrence: several clients (ICSx5, Nextcloud, some sync scripts) drop overrides that have
 * no master, and the master needs no RRULE the window may have cut.
 */
import { DateTime } from "luxon";
import type { CalendarEvent } from "../core/event.ts";
import type { ExportEvent } from "./export-event.ts";

export function seriesMasters(events: ExportEvent[]): ExportEvent[] {
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
export function rdateLine(value: string, time: CalendarEvent["time"]): [string, string] {
  if (time.kind === "allDay") return ["RDATE;VALUE=DATE", value.replace(/-/g, "")];
  return [
    "RDATE",
    new Date(value)
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}Z$/, "Z"),
  ];
}
