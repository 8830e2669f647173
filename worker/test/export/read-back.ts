/**
 * Reads an exported calendar back with two independent parsers (node-ical and ical.js) into one
 * comparable shape, so tests check what subscribers' software would see, not our own string.
 */
import ical, { type VEvent } from "node-ical";
import ICAL from "ical.js";

export interface ReadEvent {
  uid: string;
  /** ISO instant, or YYYY-MM-DD for all-day occurrences. */
  recurrenceId?: string;
  /** ISO instant, or YYYY-MM-DD when allDay. */
  start: string;
  end: string;
  allDay: boolean;
  status?: string;
  summary: string;
  description?: string;
  location?: string;
  sequence?: number;
  url?: string;
  geo?: { lat: number; lon: number };
}

function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "object" && "val" in (v as object)) return String((v as { val: unknown }).val);
  return String(v);
}

export function readWithNodeIcal(body: string): ReadEvent[] {
  const out = new Map<string, ReadEvent>();
  const add = (e: VEvent) => {
    const allDay = e.datetype === "date";
    const rid = e.recurrenceid as Date | undefined;
    const read: ReadEvent = {
      uid: e.uid,
      start: allDay ? localDate(e.start) : e.start.toISOString(),
      end: e.end ? (allDay ? localDate(e.end) : e.end.toISOString()) : "",
      allDay,
      summary: text(e.summary) ?? "",
    };
    if (rid) read.recurrenceId = allDay ? localDate(rid) : rid.toISOString();
    if (e.status) read.status = String(e.status);
    const description = text(e.description);
    if (description !== undefined) read.description = description;
    const location = text(e.location);
    if (location !== undefined) read.location = location;
    if (e.sequence !== undefined) read.sequence = Number(e.sequence);
    const url = text(e.url);
    if (url !== undefined) read.url = url;
    if (e.geo) read.geo = { lat: Number(e.geo.lat), lon: Number(e.geo.lon) };
    out.set(`${read.uid}|${read.recurrenceId ?? ""}`, read);
  };
  for (const item of Object.values(ical.sync.parseICS(body))) {
    if (!item || item.type !== "VEVENT") continue;
    const ev = item as VEvent;
    const overrides = Object.values(ev.recurrences ?? {}) as VEvent[];
    // A series master (its occurrences are all overrides) is not an event of its own.
    if (!ev.recurrenceid && overrides.length === 0) add(ev);
    for (const inst of overrides) add(inst);
    if (ev.recurrenceid && overrides.length === 0) add(ev);
  }
  return [...out.values()];
}

const timeOf = (t: ICAL.Time) => (t.isDate ? t.toString() : t.toJSDate().toISOString());

function loadWithIcalJs(body: string): ICAL.Component[] {
  ICAL.TimezoneService.reset();
  const cal = new ICAL.Component(ICAL.parse(body));
  for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
  return cal.getAllSubcomponents("vevent");
}

/**
 * Series masters by UID, with the occurrence starts ical.js expands from them (DTSTART + RDATEs),
 * so tests can check that a client ignoring overrides still sees every occurrence.
 */
export function seriesStartsWithIcalJs(body: string): Map<string, string[]> {
  const vevents = loadWithIcalJs(body);
  const overridden = new Set(
    vevents.filter((v) => v.hasProperty("recurrence-id")).map((v) => String(v.getFirstPropertyValue("uid"))),
  );
  const out = new Map<string, string[]>();
  for (const v of vevents) {
    const uid = String(v.getFirstPropertyValue("uid"));
    if (v.hasProperty("recurrence-id") || !overridden.has(uid)) continue;
    const starts: string[] = [];
    const it = new ICAL.Event(v).iterator();
    for (let next = it.next(); next && starts.length < 10_000; next = it.next()) starts.push(timeOf(next));
    out.set(uid, starts);
  }
  return out;
}

export function readWithIcalJs(body: string): ReadEvent[] {
  const vevents = loadWithIcalJs(body);
  const overridden = new Set(
    vevents.filter((v) => v.hasProperty("recurrence-id")).map((v) => String(v.getFirstPropertyValue("uid"))),
  );
  const instances = vevents.filter(
    (v) => v.hasProperty("recurrence-id") || !overridden.has(String(v.getFirstPropertyValue("uid"))),
  );
  return instances.map((vevent) => {
    const e = new ICAL.Event(vevent);
    const read: ReadEvent = {
      uid: e.uid,
      start: timeOf(e.startDate),
      end: e.endDate ? timeOf(e.endDate) : "",
      allDay: e.startDate.isDate,
      summary: e.summary ?? "",
    };
    if (e.recurrenceId) read.recurrenceId = timeOf(e.recurrenceId);
    const status = vevent.getFirstPropertyValue("status");
    if (status) read.status = String(status);
    if (e.description) read.description = e.description;
    if (e.location) read.location = e.location;
    read.sequence = e.sequence;
    const url = vevent.getFirstPropertyValue("url");
    if (url) read.url = String(url);
    const geo = vevent.getFirstPropertyValue("geo") as number[] | null;
    if (geo) read.geo = { lat: Number(geo[0]), lon: Number(geo[1]) };
    return read;
  });
}
