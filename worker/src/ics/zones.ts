/**
 * Wall-clock <-> instant arithmetic in IANA zones, built on Intl only so that results never depend on
 * the zone of the machine running the worker.
 */

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const validZones = new Map<string, string | undefined>();

/** The canonical spelling of an IANA zone name (case-insensitive input), or undefined if unknown. */
export function canonicalZone(name: string): string | undefined {
  if (validZones.has(name)) return validZones.get(name);
  let result: string | undefined;
  // Intl accepts bare offsets like "+01:00"; those are not zone names.
  if (/^[A-Za-z]/.test(name)) {
    try {
      result = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      result = undefined;
    }
  }
  validZones.set(name, result);
  return result;
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Wall-clock fields as Intl reports them (the slow path; results are cached through offsetAt). */
function intlWall(epochMs: number, zone: string): WallTime {
  const parts = formatter(zone).formatToParts(new Date(epochMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  let year = get("year");
  if (parts.find((p) => p.type === "era")?.value === "BC") year = 1 - year;
  return {
    year,
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
    second: get("second"),
  };
}

function wallToUtcMs(w: WallTime): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}

function intlOffset(epochMs: number, zone: string): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  return wallToUtcMs(intlWall(whole, zone)) - whole;
}

const DAY_MS = 86_400_000;
const QUARTER_MS = 900_000;
/** Per zone: offset of each UTC day without a transition (null for a transition day), by day start. */
const dayOffsets = new Map<string, Map<number, number | null>>();
/** Per zone: offset of each quarter hour of a transition day, by its start. */
const quarterOffsets = new Map<string, Map<number, number>>();

// Keyed by number inside a map per zone: this runs several times per date value and occurrence, and a
// text key per call was a measurable share of the parse time.
function table<V>(tables: Map<string, Map<number, V>>, zone: string): Map<number, V> {
  let t = tables.get(zone);
  if (!t) {
    t = new Map();
    tables.set(zone, t);
  }
  if (t.size > 100_000) t.clear();
  return t;
}

/** Offset of a zone from UTC at an instant, in milliseconds (east positive). */
export function offsetAt(epochMs: number, zone: string): number {
  // Most days have no transition: one lookup at each end of the UTC day serves the whole day.
  const day = Math.floor(epochMs / DAY_MS) * DAY_MS;
  const days = table(dayOffsets, zone);
  let whole = days.get(day);
  if (whole === undefined) {
    const a = intlOffset(day, zone);
    whole = a === intlOffset(day + DAY_MS - 1000, zone) ? a : null;
    days.set(day, whole);
  }
  if (whole !== null) return whole;
  // A transition day: transitions fall on whole quarter hours.
  const quarter = Math.floor(epochMs / QUARTER_MS) * QUARTER_MS;
  const quarters = table(quarterOffsets, zone);
  let offset = quarters.get(quarter);
  if (offset === undefined) {
    offset = intlOffset(quarter, zone);
    quarters.set(quarter, offset);
  }
  return offset;
}

/** Wall-clock fields of an instant as seen in a zone. */
export function wallAt(epochMs: number, zone: string): WallTime {
  const d = new Date(Math.floor(epochMs / 1000) * 1000 + offsetAt(epochMs, zone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/**
 * The instant a wall-clock time in a zone denotes, as RFC 5545 (3.3.5) reads it: a time that occurs
 * twice (fall back) is the first occurrence; a time skipped by a gap (spring forward) is read with the
 * offset in force before the gap, which lands the same distance after the gap.
 */
export function instantOf(w: WallTime, zone: string): number {
  const asUtc = wallToUtcMs(w);
  const before = offsetAt(asUtc - 86_400_000, zone);
  const after = offsetAt(asUtc + 86_400_000, zone);
  const candidates: number[] = [];
  for (const off of before === after ? [before] : [before, after]) {
    const t = asUtc - off;
    if (offsetAt(t, zone) === off) candidates.push(t);
  }
  if (candidates.length > 0) return Math.min(...candidates);
  return asUtc - before;
}

/** Re-reads an instant through its wall-clock time so that fold handling follows RFC 5545. */
export function normaliseInZone(epochMs: number, zone: string): number {
  return instantOf(wallAt(epochMs, zone), zone);
}

export function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** "YYYY-MM-DD" of a wall time or date triple. */
export function isoDate(w: { year: number; month: number; day: number }): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** Adds whole days to a "YYYY-MM-DD" date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(2000, 0, 1));
  t.setUTCFullYear(y, m - 1, d + days);
  return isoDate({ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() });
}

/** Whole days from one "YYYY-MM-DD" to another. */
export function daysBetween(from: string, to: string): number {
  const ms = (s: string): number => {
    const [y, m, d] = s.split("-").map(Number) as [number, number, number];
    const t = new Date(Date.UTC(2000, 0, 1));
    t.setUTCFullYear(y, m - 1, d);
    return t.getTime();
  };
  return Math.round((ms(to) - ms(from)) / 86_400_000);
}

/** Midnight at the start of a date in a zone, as an instant. */
const midnights = new Map<string, number>();

export function startOfDate(date: string, zone: string): number {
  const cacheKey = `${zone} ${date}`;
  let ms = midnights.get(cacheKey);
  if (ms === undefined) {
    const [year, month, day] = date.split("-").map(Number) as [number, number, number];
    ms = instantOf({ year, month, day, hour: 0, minute: 0, second: 0 }, zone);
    if (midnights.size > 100_000) midnights.clear();
    midnights.set(cacheKey, ms);
  }
  return ms;
}
