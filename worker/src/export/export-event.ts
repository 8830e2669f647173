/**
 * The one VEVENT shape the builder writes, whatever it came from (an imported record, a series
 * master, a calendar-plugin event), and the text rules every field goes through.
 */
import { DateTime } from "luxon";
import type { CalendarEvent } from "../core/event.ts";

/** One VEVENT's worth of data, whatever it came from. */
export interface ExportEvent {
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
export function cleanUid(uid: string): string {
  // eslint-disable-next-line no-control-regex
  return uid.replace(/[\u0000-\u001F\u007F]/g, "").trim() || "unknown";
}

export function isHttpUrl(u: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(u);
}

export function validInstant(s: string | undefined): string | undefined {
  return s && DateTime.fromISO(s).isValid ? s : undefined;
}

export function validGeo(g: { lat: number; lon: number }): boolean {
  return Number.isFinite(g.lat) && Number.isFinite(g.lon) && Math.abs(g.lat) <= 90 && Math.abs(g.lon) <= 180;
}
