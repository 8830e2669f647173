import type { CalendarEvent, ParsedFeed } from "../../src/core/event.ts";
import { parseFeed } from "../../src/ics/parse.ts";
import type { ParseOptions } from "../../src/ics/parse.ts";

/** A VCALENDAR around the given lines (CRLF line ends). */
export function calendar(...lines: string[]): string {
  return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...lines, "END:VCALENDAR", ""].join("\r\n");
}

/** A VEVENT with the given property lines. */
export function vevent(...lines: string[]): string[] {
  return ["BEGIN:VEVENT", ...lines, "END:VEVENT"];
}

export const WIDE = { from: new Date("2000-01-01T00:00:00Z"), to: new Date("2031-01-01T00:00:00Z") };

export function parse(text: string | Uint8Array, opts: Partial<ParseOptions> = {}): ParsedFeed {
  return parseFeed(text, { feedId: "test", window: WIDE, ...opts });
}

export function byKey(feed: ParsedFeed): Map<string, CalendarEvent> {
  return new Map(feed.events.map((e) => [e.key, e]));
}

export function timed(e: CalendarEvent | undefined): { start: string; end: string; timezone: string } {
  if (!e || e.time.kind !== "timed") throw new Error(`not a timed event: ${JSON.stringify(e)}`);
  return e.time;
}

export function allDay(e: CalendarEvent | undefined): { startDate: string; endDate: string } {
  if (!e || e.time.kind !== "allDay") throw new Error(`not an all-day event: ${JSON.stringify(e)}`);
  return e.time;
}
