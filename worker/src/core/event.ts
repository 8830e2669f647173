/**
 * The one plain event shape the whole worker speaks: ingestion produces it, the sync engine renders
 * and plans from it, the exporter writes it back out. No parser objects leak past ingestion.
 */

export type EventStatus = "confirmed" | "tentative" | "cancelled";

/** A timed event: instants in UTC plus the IANA zone the producer meant them in. */
export interface TimedSpan {
  kind: "timed";
  /** ISO 8601 instant in UTC, e.g. "2026-03-29T08:00:00.000Z". */
  start: string;
  /** ISO 8601 instant in UTC; always after start (zero-length events get start). */
  end: string;
  /** IANA zone name the times were written in ("UTC" for Z times and no better hint). */
  timezone: string;
}

/** An all-day event: calendar dates, end exclusive as in RFC 5545 (a one-day event ends the next day). */
export interface AllDaySpan {
  kind: "allDay";
  /** "YYYY-MM-DD" */
  startDate: string;
  /** "YYYY-MM-DD", exclusive */
  endDate: string;
}

export type EventSpan = TimedSpan | AllDaySpan;

export interface GeoPoint {
  lat: number;
  lon: number;
}

export interface CalendarEvent {
  /**
   * Stable identity within a feed: the UID, plus "@" and the original occurrence start (RECURRENCE-ID,
   * instant in UTC ISO or YYYY-MM-DD for all-day) for an instance of a recurring series.
   */
  key: string;
  uid: string;
  /** Original start of this occurrence when it belongs to a series (ISO instant or YYYY-MM-DD). */
  recurrenceId?: string;
  summary: string;
  /** Plain text, never HTML. */
  description: string;
  location?: string;
  geo?: GeoPoint;
  /** http(s) URL only. */
  url?: string;
  /** Display name only: e-mail addresses are never carried forward. */
  organizerName?: string;
  status: EventStatus;
  sequence: number;
  /** ISO instant. */
  lastModified?: string;
  categories: string[];
  time: EventSpan;
  /** The series' RRULE text when this event is one occurrence of a recurring series (for export). */
  rrule?: string;
}

/** Something wrong with one part of a feed; the rest still imports. */
export interface FeedProblem {
  /** The VEVENT UID when known. */
  uid?: string;
  /** Machine-readable kind, e.g. "unknown-timezone", "invalid-date", "occurrence-cap". */
  code: string;
  /** A sentence a feed owner can act on. */
  message: string;
}

export interface ParsedFeed {
  calendarName?: string;
  /** X-WR-TIMEZONE when it names a known zone. */
  calendarTimezone?: string;
  prodId?: string;
  events: CalendarEvent[];
  problems: FeedProblem[];
}
