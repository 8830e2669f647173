/**
 * VTIMEZONE components written from the platform's own IANA data (via luxon/Intl), so subscribers
 * whose clients do not know a zone (Outlook) still place events at the right hour. Transitions are
 * found by scanning the years the feed needs; a rule that repeats every year becomes one RRULE,
 * anything irregular (a zone that changed its rules) is written as one observance per transition.
 */
import { IANAZone } from "luxon";
import { zoneOf } from "./wall-time.ts";

interface Transition {
  /** UTC instant of the change, ms. */
  at: number;
  /** Offsets in minutes east of UTC. */
  from: number;
  to: number;
  kind: "STANDARD" | "DAYLIGHT";
  name?: string;
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"] as const;
const cache = new Map<string, string | null>();

export function isKnownZone(zone: string): boolean {
  return zoneOf(zone) !== null;
}

/** A generator for ical-generator: returns the VTIMEZONE text for a zone, or null for UTC/unknown. */
export function vtimezoneGenerator(fromYear: number, toYear: number): (zone: string) => string | null {
  return (zone) => vtimezone(zone, fromYear, toYear);
}

export function vtimezone(zone: string, fromYear: number, toYear: number): string | null {
  if (!isKnownZone(zone)) return null;
  const key = `${zone}|${fromYear}|${toYear}`;
  if (!cache.has(key)) cache.set(key, render(zone, fromYear, toYear));
  return cache.get(key) ?? null;
}

function render(zone: string, fromYear: number, toYear: number): string {
  const tz = IANAZone.create(zone);
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear + 1, 0, 1);
  const transitions = findTransitions(tz, start, end);
  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`, `X-LIC-LOCATION:${zone}`];
  if (transitions.length === 0) {
    const offset = tz.offset(start);
    const fixed: Transition = {
      at: Date.UTC(1970, 0, 1) - offset * 60_000,
      from: offset,
      to: offset,
      kind: "STANDARD",
    };
    const name = shortName(zone, start);
    if (name) fixed.name = name;
    lines.push(...observance(fixed));
  } else {
    for (const kind of ["STANDARD", "DAYLIGHT"] as const) {
      const ofKind = transitions.filter((t) => t.kind === kind);
      const rule = yearlyRule(ofKind, toYear);
      if (rule) lines.push(...observance(ofKind[0]!, rule));
      else for (const t of ofKind) lines.push(...observance(t));
    }
  }
  lines.push("END:VTIMEZONE");
  return lines.join("\r\n");
}

function findTransitions(tz: IANAZone, start: number, end: number): Transition[] {
  const out: Transition[] = [];
  let prevAt = start;
  let prevOffset = tz.offset(start);
  // Every real zone keeps an offset for well over a day, so a daily scan cannot step over a change.
  for (let t = start + DAY_MS; t <= end; t += DAY_MS) {
    const offset = tz.offset(t);
    if (offset !== prevOffset) {
      let lo = prevAt;
      let hi = t;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (tz.offset(mid) === prevOffset) lo = mid;
        else hi = mid;
      }
      out.push({
        at: hi,
        from: prevOffset,
        to: offset,
        kind: isDaylight(tz, hi, offset) ? "DAYLIGHT" : "STANDARD",
      });
      prevOffset = offset;
    }
    prevAt = t;
  }
  for (const tr of out) {
    const name = shortName(tz.name, tr.at);
    if (name) tr.name = name;
  }
  return out;
}

/** Daylight time is the larger of the year's winter and summer offsets, as luxon's isInDST decides. */
function isDaylight(tz: IANAZone, at: number, offset: number): boolean {
  const year = new Date(at).getUTCFullYear();
  const jan = tz.offset(Date.UTC(year, 0, 1));
  const jul = tz.offset(Date.UTC(year, 6, 1));
  return jan !== jul && offset === Math.max(jan, jul);
}

function shortName(zone: string, at: number): string | undefined {
  for (const locale of ["en-US", "en-GB", "en-AU"]) {
    const part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value;
    if (part && !/^(GMT|UTC)[+-]/.test(part)) return part;
  }
  return undefined;
}

/**
 * "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" when every year of the range has exactly one such change on the
 * same weekday of the same week of the same month at the same local time; otherwise null.
 */
function yearlyRule(ts: Transition[], toYear: number): string | null {
  if (ts.length < 2) return null;
  const first = ts[0]!;
  const firstYear = new Date(first.at).getUTCFullYear();
  if (ts.length !== toYear - firstYear + 1) return null;
  const shapes = ts.map((t) => {
    const local = new Date(t.at + t.from * 60_000);
    const day = local.getUTCDate();
    const daysInMonth = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 0)).getUTCDate();
    return {
      year: local.getUTCFullYear(),
      month: local.getUTCMonth() + 1,
      weekday: local.getUTCDay(),
      nth: Math.ceil(day / 7),
      last: day + 7 > daysInMonth,
      clock: local.getUTCHours() * 3600 + local.getUTCMinutes() * 60,
      from: t.from,
      to: t.to,
    };
  });
  const s0 = shapes[0]!;
  const same = shapes.every(
    (s, i) =>
      s.year === s0.year + i &&
      s.month === s0.month &&
      s.weekday === s0.weekday &&
      s.clock === s0.clock &&
      s.from === s0.from &&
      s.to === s0.to,
  );
  if (!same) return null;
  const wd = WEEKDAYS[s0.weekday]!;
  if (shapes.every((s) => s.last)) return `FREQ=YEARLY;BYMONTH=${s0.month};BYDAY=-1${wd}`;
  if (shapes.every((s) => s.nth === s0.nth)) return `FREQ=YEARLY;BYMONTH=${s0.month};BYDAY=${s0.nth}${wd}`;
  return null;
}

function observance(t: Transition, rrule?: string): string[] {
  const lines = [
    `BEGIN:${t.kind}`,
    `DTSTART:${localStamp(t.at + t.from * 60_000)}`,
    `TZOFFSETFROM:${formatOffset(t.from)}`,
    `TZOFFSETTO:${formatOffset(t.to)}`,
  ];
  if (rrule) lines.push(`RRULE:${rrule}`);
  if (t.name) lines.push(`TZNAME:${t.name}`);
  lines.push(`END:${t.kind}`);
  return lines;
}

function localStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, "");
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
}
