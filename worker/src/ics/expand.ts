/**
 * Occurrence starts of a recurring VEVENT inside a window: RRULE expanded by node-ical (rrule-temporal,
 * wall-clock times kept across DST in the event's zone), plus RDATEs, minus EXDATEs. RECURRENCE-ID
 * overrides are applied by the caller, which also sees the overrides whose master is missing.
 */
import ical from "node-ical";
import type { VEvent } from "node-ical";
import type { EventRecord } from "./record.ts";
import type { DateValue } from "./values.ts";
import { ValueError, dateIn, valueKey } from "./values.ts";
import { isoDate, normaliseInZone, pad, wallAt } from "./zones.ts";

export interface Occurrence {
  /** Original start (the RECURRENCE-ID an override would use). */
  start: DateValue;
  /** valueKey of the start, worked out once. */
  key: string;
  /** End given by an RDATE PERIOD, else the caller applies the series duration. */
  end?: DateValue;
}

function basicWall(ms: number, zone: string): string {
  const w = wallAt(ms, zone);
  return `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
}

function dtstartLine(start: DateValue): string {
  if (start.kind === "date") return `DTSTART;VALUE=DATE:${start.date.replaceAll("-", "")}`;
  if (start.utc) return `DTSTART:${basicWall(start.ms, "UTC")}Z`;
  return `DTSTART;TZID=${start.zone}:${basicWall(start.ms, start.zone)}`;
}

/** node-ical's view of the series: only what the rule needs, with the zone already resolved. */
function icalSeries(record: EventRecord): VEvent {
  const text = [
    "BEGIN:VCALENDAR",
    "BEGIN:VEVENT",
    "UID:series",
    dtstartLine(record.start),
    `RRULE:${record.rrule}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ].join("\r\n");
  let parsed: Record<string, unknown>;
  try {
    parsed = ical.sync.parseICS(text) as Record<string, unknown>;
  } catch (err) {
    throw new ValueError(
      "invalid-rrule",
      `RRULE "${record.rrule}" cannot be read: ${(err as Error).message}`,
    );
  }
  const event = parsed.series as (VEvent & { rrule?: unknown }) | undefined;
  if (!event || typeof (event.rrule as { between?: unknown } | undefined)?.between !== "function") {
    throw new ValueError("invalid-rrule", `RRULE "${record.rrule}" cannot be read`);
  }
  return event;
}

const CHUNK_MS: Record<string, number> = {
  MINUTELY: 86_400_000,
  HOURLY: 30 * 86_400_000,
};

/**
 * Starts of the series' occurrences between from and to (both already padded by the caller), in
 * order, at most `limit` (one more than the cap, so the caller can tell it was hit).
 */
export function seriesOccurrences(record: EventRecord, from: Date, to: Date, limit: number): Occurrence[] {
  const found = new Map<string, Occurrence>();
  if (record.rrule) {
    const freq = /FREQ=([A-Z]+)/i.exec(record.rrule)?.[1]?.toUpperCase() ?? "";
    if (freq === "SECONDLY") {
      // Not an event a forum can show, and rrule-temporal stops (returning nothing) after 10,000 steps.
      throw new ValueError(
        "invalid-rrule",
        `RRULE "${record.rrule}" repeats every second; such series are not imported`,
      );
    }
    const event = icalSeries(record);
    const step = CHUNK_MS[freq] ?? to.getTime() - from.getTime() + 1;
    for (let t = from.getTime(); t <= to.getTime() && found.size < limit; t += step) {
      const chunkEnd = new Date(Math.min(t + step - 1, to.getTime()));
      const instances = ical.expandRecurringEvent(event, {
        from: new Date(t),
        to: chunkEnd,
        includeOverrides: false,
        excludeExdates: false,
      });
      for (const inst of instances) {
        const d = inst.start;
        let start: DateValue;
        if (record.start.kind === "date") {
          // node-ical hands all-day occurrences out as local-midnight Dates: read them with local getters.
          start = {
            kind: "date",
            date: isoDate({ year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() }),
          };
        } else {
          const zone = record.start.zone;
          const ms = record.start.utc ? d.getTime() : normaliseInZone(d.getTime(), zone);
          start = { ...record.start, ms };
        }
        const key = valueKey(start);
        found.set(key, { start, key });
        if (found.size >= limit) break;
      }
    }
  }
  // RFC 5545 3.8.5.3: DTSTART is the first instance of the set even when the rule does not produce it.
  const first = startMs(record.start);
  if (first >= from.getTime() && first <= to.getTime()) {
    const key = valueKey(record.start);
    found.set(key, { start: record.start, key });
  }
  for (const r of record.rdates) {
    const start: DateValue =
      record.start.kind === "date" && r.start.kind === "instant"
        ? { kind: "date", date: dateIn(r.start, r.start.zone) }
        : r.start;
    const key = valueKey(start);
    found.set(key, r.end ? { start, key, end: r.end } : { start, key });
  }
  const excludedKeys = new Set(record.exdates.map(valueKey));
  const zone = record.start.kind === "instant" ? record.start.zone : "UTC";
  // EXDATEs written as dates exclude every occurrence on that day in the series' zone; date-time
  // EXDATEs on an all-day series exclude the day they fall on in their own zone (Outlook writes these).
  const excludedDays = new Set(
    record.exdates.map((x) =>
      x.kind === "date" ? x.date : record.start.kind === "date" ? dateIn(x, x.zone) : "",
    ),
  );
  excludedDays.delete("");
  const out: Occurrence[] = [];
  for (const occ of found.values()) {
    // Most series have no EXDATE: then no key or local date is worked out per occurrence.
    if (excludedKeys.size > 0 && excludedKeys.has(occ.key)) continue;
    if (excludedDays.size > 0 && excludedDays.has(dateIn(occ.start, zone))) continue;
    out.push(occ);
  }
  return out.sort((a, b) => startMs(a.start) - startMs(b.start));
}

function startMs(v: DateValue): number {
  return v.kind === "date" ? Date.parse(`${v.date}T00:00:00Z`) : v.ms;
}
