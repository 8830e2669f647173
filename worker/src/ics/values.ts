/**
 * DATE, DATE-TIME, PERIOD and DURATION values read into zone-aware plain values. Floating times (no Z,
 * no TZID) are read in the zone the caller gives (X-WR-TIMEZONE, the configured zone, or the zone of
 * the event's DTSTART for its other date properties).
 */
import type { ContentLine } from "./lines.ts";
import { parseWall } from "./tzid.ts";
import type { ZoneResolution } from "./tzid.ts";
import type { WallTime } from "./zones.ts";
import { addDays, instantOf, isoDate, wallAt } from "./zones.ts";

export type DateValue =
  | { kind: "date"; date: string }
  | {
      kind: "instant";
      ms: number;
      /** IANA zone the value was written in ("UTC" for Z values). */
      zone: string;
      /** Written with Z (UTC) rather than in a zone. */
      utc: boolean;
      /** Written with neither Z nor TZID. */
      floating: boolean;
    };

export interface ValueContext {
  resolveZone(tzid: string, year: number): ZoneResolution;
  /** Zone for floating DATE-TIME values. */
  floatingZone: string;
}

/** A value that could not be read; the message names the property and the reason. */
export class ValueError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export interface Duration {
  sign: 1 | -1;
  /** Weeks and days: nominal days (same wall-clock time on another day). */
  days: number;
  /** Hours, minutes, seconds: exact milliseconds. */
  ms: number;
}

/** RFC 5545 DURATION; tolerates weeks combined with days ("P1W6DT15H") as written by some producers. */
export function parseDuration(value: string): Duration | undefined {
  const m = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(value.trim());
  if (!m || value.trim().length <= 2 || /T$/i.test(value.trim())) return undefined;
  const n = (i: number): number => Number(m[i] ?? 0);
  return {
    sign: m[1] === "-" ? -1 : 1,
    days: n(2) * 7 + n(3),
    ms: ((n(4) * 60 + n(5)) * 60 + n(6)) * 1000,
  };
}

export function addDuration(start: DateValue, d: Duration): DateValue {
  if (start.kind === "date") {
    // Time parts on an all-day event count as whole days begun.
    const days = d.days + Math.ceil(d.ms / 86_400_000);
    return { kind: "date", date: addDays(start.date, d.sign * days) };
  }
  let ms = start.ms;
  if (d.days !== 0) {
    const w = wallAt(ms, start.zone);
    const shifted = new Date(Date.UTC(w.year, w.month - 1, w.day + d.sign * d.days));
    ms = instantOf(
      { ...w, year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() },
      start.zone,
    );
  }
  return { ...start, ms: ms + d.sign * d.ms };
}

function isDateOnly(raw: string, params: Record<string, string>): boolean {
  const type = params.VALUE?.toUpperCase();
  if (type === "DATE") return true;
  if (type === "DATE-TIME") return false;
  return /^\d{8}Z?$/i.test(raw.trim());
}

/**
 * One DATE or DATE-TIME value of a property.
 * @param floatingZone zone for a value with neither Z nor TZID
 */
export function parseDateValue(
  raw: string,
  params: Record<string, string>,
  ctx: ValueContext,
  propName: string,
  floatingZone = ctx.floatingZone,
): DateValue {
  const value = raw.trim();
  if (isDateOnly(value, params)) {
    const m = /^(\d{4})(\d{2})(\d{2})/.exec(value);
    if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
      throw new ValueError("invalid-date", `${propName} "${value}" is not a valid date`);
    }
    return { kind: "date", date: `${m[1]}-${m[2]}-${m[3]}` };
  }
  const wall = /^\d{8}T\d{4,6}Z?$/i.test(value) ? parseWall(value) : undefined;
  if (!wall || !validWall(wall)) {
    throw new ValueError("invalid-date", `${propName} "${value}" is not a valid date-time`);
  }
  if (/Z$/i.test(value)) {
    const ms = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
    return { kind: "instant", ms, zone: "UTC", utc: true, floating: false };
  }
  const tzid = params.TZID;
  if (tzid) {
    const resolved = ctx.resolveZone(tzid, wall.year);
    if ("error" in resolved) throw new ValueError("unknown-timezone", `${propName}: ${resolved.error}`);
    return {
      kind: "instant",
      ms: instantOf(wall, resolved.zone),
      zone: resolved.zone,
      utc: false,
      floating: false,
    };
  }
  return {
    kind: "instant",
    ms: instantOf(wall, floatingZone),
    zone: floatingZone,
    utc: false,
    floating: true,
  };
}

function validDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function validWall(w: WallTime): boolean {
  return validDate(w.year, w.month, w.day) && w.hour <= 24 && w.minute < 60 && w.second <= 60;
}

/** All values of a multi-valued date property (EXDATE, RDATE), PERIODs with their ends. */
export function parseDateList(
  line: ContentLine,
  ctx: ValueContext,
  floatingZone: string,
): { start: DateValue; end?: DateValue }[] {
  const out: { start: DateValue; end?: DateValue }[] = [];
  const isPeriod = line.params.VALUE?.toUpperCase() === "PERIOD";
  for (const part of line.value.split(",")) {
    if (!part.trim()) continue;
    if (isPeriod || part.includes("/")) {
      const [a, b] = part.split("/") as [string, string | undefined];
      const start = parseDateValue(a, { ...line.params, VALUE: "DATE-TIME" }, ctx, line.name, floatingZone);
      let end: DateValue | undefined;
      if (b) {
        const dur = parseDuration(b);
        end = dur
          ? addDuration(start, dur)
          : parseDateValue(b, { ...line.params, VALUE: "DATE-TIME" }, ctx, line.name, floatingZone);
      }
      out.push(end ? { start, end } : { start });
    } else {
      out.push({ start: parseDateValue(part, line.params, ctx, line.name, floatingZone) });
    }
  }
  return out;
}

/** Stable text form: YYYY-MM-DD for dates, UTC ISO instant for date-times. */
export function valueKey(v: DateValue): string {
  return v.kind === "date" ? v.date : new Date(v.ms).toISOString();
}

/** The calendar date of a value as seen in a zone. */
export function dateIn(v: DateValue, zone: string): string {
  return v.kind === "date" ? v.date : isoDate(wallAt(v.ms, zone));
}
