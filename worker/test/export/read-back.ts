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
    if (!ev.recurrenceid) add(ev);
    for (const inst of Object.values(ev.recurrences ?? {})) add(inst as VEvent);
    if (ev.recurrenceid && !ev.recurrences) add(ev);
  }
  return [...out.values()];
}

export function readWithIcalJs(body: string): ReadEvent[] {
  ICAL.TimezoneService.reset();
  const cal = new ICAL.Component(ICAL.parse(body));
  for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
  const timeOf = (t: ICAL.Time) => (t.isDate ? t.toString() : t.toJSDate().toISOString());
  return cal.getAllSubcomponents("vevent").map((vevent) => {
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
