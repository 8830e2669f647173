/**
 * TZID parameter values to IANA zones. Producers write IANA names (sometimes in the wrong case),
 * Windows names ("W. Europe Standard Time"), prefixed names ("/mozilla.org/20070129_1/Europe/Berlin"),
 * display names ("Kuala Lumpur, Singapore") or custom names ("Customized Time Zone") with the rules in
 * a VTIMEZONE. The VTIMEZONE's own rules are checked against candidate IANA zones; an unknown zone is
 * an error for the events using it, never a silent UTC.
 */
import { createRequire } from "node:module";
import type * as WindowsIana from "windows-iana";
import type { Component } from "./lines.ts";
import { prop, props, unescapeText } from "./lines.ts";
import { canonicalZone, offsetAt } from "./zones.ts";
import type { WallTime } from "./zones.ts";

// The Windows zone table is only needed for TZIDs that are not IANA names (Outlook, Exchange): loaded
// on first use so that the many feeds with IANA names do not carry it.
let windowsIana: typeof WindowsIana | undefined;

function windowsTable(): typeof WindowsIana {
  windowsIana ??= createRequire(import.meta.url)("windows-iana") as typeof WindowsIana;
  return windowsIana;
}

export type ZoneResolution = { zone: string; approximate?: boolean } | { error: string };

interface Observance {
  offsetFrom: number;
  offsetTo: number;
  start: WallTime;
  rule?: {
    month: number;
    byDay?: { nth: number; weekday: number };
    byMonthDay?: number[];
    untilYear?: number;
  };
  rdates: WallTime[];
}

const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

function parseOffset(value: string | undefined): number | undefined {
  const m = /^([+-])(\d{2})(\d{2})(\d{2})?$/.exec((value ?? "").trim());
  if (!m) return undefined;
  const ms = (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === "-" ? -ms : ms;
}

export function parseWall(value: string): WallTime | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?Z?$/i.exec(value.trim());
  if (!m) return undefined;
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  };
}

function parseObservance(c: Component): Observance | undefined {
  const offsetTo = parseOffset(prop(c, "TZOFFSETTO")?.value);
  const offsetFrom = parseOffset(prop(c, "TZOFFSETFROM")?.value) ?? offsetTo;
  const start = parseWall(prop(c, "DTSTART")?.value ?? "");
  if (offsetTo === undefined || offsetFrom === undefined || !start) return undefined;
  const obs: Observance = { offsetFrom, offsetTo, start, rdates: [] };
  for (const r of props(c, "RDATE")) {
    for (const v of r.value.split(",")) {
      const w = parseWall(v);
      if (w) obs.rdates.push(w);
    }
  }
  const rrule = prop(c, "RRULE")?.value;
  if (rrule) {
    const parts = Object.fromEntries(rrule.split(";").map((kv) => kv.split("=") as [string, string]));
    const month = Number(parts.BYMONTH);
    if (parts.FREQ?.toUpperCase() === "YEARLY" && month >= 1 && month <= 12) {
      const rule: NonNullable<Observance["rule"]> = { month };
      const byDay = /^([+-]?\d)?([A-Z]{2})$/i.exec(parts.BYDAY ?? "");
      if (byDay)
        rule.byDay = { nth: Number(byDay[1] ?? 0), weekday: WEEKDAYS.indexOf(byDay[2]!.toUpperCase()) };
      if (parts.BYMONTHDAY) rule.byMonthDay = parts.BYMONTHDAY.split(",").map(Number);
      if (parts.UNTIL) rule.untilYear = Number(parts.UNTIL.slice(0, 4));
      obs.rule = rule;
    }
  }
  return obs;
}

function compareWall(a: WallTime, b: WallTime): number {
  return (
    Date.UTC(a.year, a.month - 1, a.day, a.hour, a.minute, a.second) -
    Date.UTC(b.year, b.month - 1, b.day, b.hour, b.minute, b.second)
  );
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** The day of month a yearly observance rule picks in a year, if any. */
function ruleDay(rule: NonNullable<Observance["rule"]>, year: number): number | undefined {
  const dim = daysInMonth(year, rule.month);
  const days: number[] = [];
  for (let d = 1; d <= dim; d++) {
    if (rule.byMonthDay && !rule.byMonthDay.includes(d)) continue;
    if (rule.byDay && rule.byDay.weekday >= 0 && weekday(year, rule.month, d) !== rule.byDay.weekday)
      continue;
    days.push(d);
  }
  const nth = rule.byDay?.nth ?? 0;
  if (nth > 0) return days[nth - 1];
  if (nth < 0) return days[days.length + nth];
  return days[0];
}

/** Evaluates a VTIMEZONE: the UTC offset it prescribes at an instant. */
export class VTimezoneRules {
  readonly observances: Observance[];

  constructor(vtimezone: Component) {
    this.observances = vtimezone.children
      .map(parseObservance)
      .filter((o): o is Observance => o !== undefined);
  }

  private transitionsOf(o: Observance, year: number): { at: number; offset: number }[] {
    const out: { at: number; offset: number }[] = [];
    const add = (w: WallTime): void => {
      out.push({
        at: Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - o.offsetFrom,
        offset: o.offsetTo,
      });
    };
    if (o.start.year === year) add(o.start);
    for (const r of o.rdates) if (r.year === year) add(r);
    if (o.rule && o.start.year < year && (o.rule.untilYear === undefined || o.rule.untilYear >= year)) {
      const day = ruleDay(o.rule, year);
      if (day !== undefined) add({ ...o.start, year, month: o.rule.month, day });
    }
    return out;
  }

  private transitions(year: number): { at: number; offset: number }[] {
    return this.observances.flatMap((o) => this.transitionsOf(o, year)).sort((a, b) => a.at - b.at);
  }

  /** Offset in ms at an instant, or undefined when the VTIMEZONE says nothing usable. */
  offsetAt(epochMs: number): number | undefined {
    const year = new Date(epochMs).getUTCFullYear();
    const candidates = [...this.transitions(year), ...this.transitions(year - 1)];
    for (const o of this.observances) {
      // One-off observances and rules that ended: their last transition may lie any number of years back.
      const fixed = [o.start, ...o.rdates];
      for (const w of fixed) {
        candidates.push({
          at: Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - o.offsetFrom,
          offset: o.offsetTo,
        });
      }
      if (o.rule?.untilYear !== undefined && o.rule.untilYear < year - 1) {
        candidates.push(...this.transitionsOf(o, o.rule.untilYear));
      }
    }
    let best: { at: number; offset: number } | undefined;
    for (const c of candidates) if (c.at <= epochMs && (!best || c.at > best.at)) best = c;
    if (best) return best.offset;
    let earliest: Observance | undefined;
    for (const o of this.observances) if (!earliest || compareWall(o.start, earliest.start) < 0) earliest = o;
    return earliest?.offsetFrom;
  }

  /** Instants around which a candidate zone must agree with these rules in a year. */
  probes(year: number): number[] {
    const probes: number[] = [];
    for (let m = 0; m < 12; m++) probes.push(Date.UTC(year, m, 15, 12));
    for (const t of this.transitions(year)) {
      if (new Date(t.at).getUTCFullYear() !== year) continue;
      probes.push(t.at - 6 * 3_600_000, t.at + 6 * 3_600_000);
    }
    return probes;
  }
}

let zoneNames: string[] | undefined;
let cityIndex: Map<string, string> | undefined;
let primaryZones: string[] | undefined;

function allZones(): string[] {
  zoneNames ??= Intl.supportedValuesOf("timeZone");
  return zoneNames;
}

function zoneByCity(city: string): string | undefined {
  if (!cityIndex) {
    cityIndex = new Map();
    for (const z of allZones()) cityIndex.set(z.split("/").at(-1)!.toLowerCase(), z);
  }
  return cityIndex.get(city.trim().replace(/\s+/g, "_").toLowerCase());
}

/** The main IANA zone of every Windows zone: a good order in which to try rule matches. */
function windowsPrimaryZones(): string[] {
  if (!primaryZones) {
    const seen = new Set<string>();
    for (const entry of windowsTable().WINDOWS_TO_IANA_MAP) {
      if (entry.territory !== "001") continue;
      const z = canonicalZone(entry.iana[0] ?? "");
      if (z) seen.add(z);
    }
    primaryZones = [...seen];
  }
  return primaryZones;
}

function windowsZone(name: string): string | undefined {
  try {
    for (const z of windowsTable().findIana(name)) {
      const c = canonicalZone(z);
      if (c) return c;
    }
  } catch {
    // windows-iana throws on some inputs; treat as "not a Windows name".
  }
  return undefined;
}

/** IANA zone named by a TZID text alone, without any VTIMEZONE. */
export function zoneFromName(tzid: string): string | undefined {
  const name = tzid.trim().replace(/^"(.*)"$/, "$1");
  if (!name) return undefined;
  if (/^(Z|UTC|GMT|Etc\/UTC|Etc\/GMT)$/i.test(name)) return "UTC";
  const direct = canonicalZone(name);
  if (direct) return direct;
  if (name.includes("/")) {
    // "/mozilla.org/20070129_1/Europe/Berlin", "/freeassociation.sourceforge.net/Tzfile/Europe/Vienna"
    const segments = name.split("/").filter(Boolean);
    for (let n = Math.min(3, segments.length - 1); n >= 1; n--) {
      const z = canonicalZone(segments.slice(-n).join("/"));
      if (z) return z;
    }
  }
  const windows = windowsZone(name) ?? windowsZone(name.replace(/^\((?:UTC|GMT)[^)]*\)\s*/i, ""));
  if (windows) return windows;
  return undefined;
}

/** Zones a display-like TZID hints at ("Kuala Lumpur, Singapore", "Eastern"), best first. */
function hintedZones(tzid: string): string[] {
  const out: string[] = [];
  const text = tzid.replace(/^\((?:UTC|GMT)[^)]*\)\s*/i, "");
  for (const seg of text.split(/[,;]/)) {
    const s = seg.trim();
    if (!s) continue;
    // Windows display names: "Pacific Time (US & Canada)" is the zone "Pacific Standard Time".
    const display = s
      .replace(/\([^)]*\)/g, " ")
      .replace(/\s+Time\s*$/i, "")
      .trim();
    const z =
      zoneFromName(s) ??
      windowsZone(`${s} Standard Time`) ??
      windowsZone(`${display} Standard Time`) ??
      zoneByCity(s);
    if (z) out.push(z);
  }
  return out;
}

function agrees(zone: string, rules: VTimezoneRules, probes: number[]): boolean {
  for (const p of probes) {
    const expected = rules.offsetAt(p);
    if (expected === undefined) return false;
    let actual: number;
    try {
      actual = offsetAt(p, zone);
    } catch {
      return false;
    }
    if (actual !== expected) return false;
  }
  return true;
}

export interface ZoneResolverOptions {
  vtimezones: Component[];
  /** Zones to prefer when several match a VTIMEZONE's rules (X-WR-TIMEZONE, configured zone). */
  preferred: string[];
}

/** Resolves the TZIDs of one feed; results are cached per TZID. */
export class ZoneResolver {
  private readonly cache = new Map<string, ZoneResolution>();
  private readonly vtimezones = new Map<string, Component>();
  private readonly preferred: string[];

  constructor(opts: ZoneResolverOptions) {
    for (const vt of opts.vtimezones) {
      const id = prop(vt, "TZID")?.value;
      if (id)
        this.vtimezones.set(
          unescapeText(id)
            .trim()
            .replace(/^"(.*)"$/, "$1"),
          vt,
        );
    }
    this.preferred = opts.preferred;
  }

  /** @param year the year the zone is used in, to check VTIMEZONE rules of that time */
  resolve(tzidParam: string, year: number): ZoneResolution {
    const tzid = unescapeText(tzidParam)
      .trim()
      .replace(/^"(.*)"$/, "$1");
    const cached = this.cache.get(tzid);
    if (cached) return cached;
    const result = this.resolveUncached(tzid, year);
    this.cache.set(tzid, result);
    return result;
  }

  private resolveUncached(tzid: string, year: number): ZoneResolution {
    const byName = zoneFromName(tzid);
    if (byName) return { zone: byName };
    const vt = this.vtimezones.get(tzid);
    if (!vt) {
      return {
        error: `time zone "${tzid}" is neither an IANA zone nor a Windows zone name, and the feed has no VTIMEZONE defining it`,
      };
    }
    const rules = new VTimezoneRules(vt);
    if (rules.observances.length === 0) {
      return { error: `the VTIMEZONE "${tzid}" has no usable STANDARD/DAYLIGHT rules` };
    }
    const probeYear = Math.max(1971, Math.min(year, 2100));
    const probes = rules.probes(probeYear);
    const seen = new Set<string>();
    const ordered = [...hintedZones(tzid), ...this.preferred, ...windowsPrimaryZones(), ...allZones()];
    for (const z of ordered) {
      if (seen.has(z)) continue;
      seen.add(z);
      if (agrees(z, rules, probes)) return { zone: z };
    }
    // The rules match no zone exactly (often outdated DST dates): accept a hinted zone with the same
    // winter and summer offsets, and say so.
    const loose = [Date.UTC(probeYear, 0, 15, 12), Date.UTC(probeYear, 6, 15, 12)];
    for (const z of [...hintedZones(tzid), ...this.preferred, ...windowsPrimaryZones()]) {
      if (agrees(z, rules, loose)) return { zone: z, approximate: true };
    }
    return { error: `the VTIMEZONE "${tzid}" matches no known IANA time zone in ${probeYear}` };
  }
}
