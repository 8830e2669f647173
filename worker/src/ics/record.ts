/**
 * One VEVENT read into a plain record: identity, times (zone-resolved), recurrence data and the text
 * fields already made safe. Throws ValueError for a VEVENT that cannot be used; the caller reports it
 * and goes on with the rest of the feed.
 */
import { createHash } from "node:crypto";
import type { EventStatus, GeoPoint } from "../core/event.ts";
import type { Component, ContentLine } from "./lines.ts";
import { prop, props, unescapeText } from "./lines.ts";
import { cleanLine, organizerName, parseGeo, plainDescription, safeUrl } from "./text.ts";
import type { DateValue, Duration, ValueContext } from "./values.ts";
import { ValueError, addDuration, parseDateList, parseDateValue, parseDuration } from "./values.ts";
import { daysBetween } from "./zones.ts";

export interface EventRecord {
  uid: string;
  /** True when the VEVENT had no UID and one was derived (see syntheticUid). */
  syntheticUid: boolean;
  /** Index of the VEVENT in the file. */
  position: number;
  lineNo: number;
  start: DateValue;
  end: DateValue;
  recurrenceId?: DateValue;
  thisAndFuture: boolean;
  rrule?: string;
  rdates: { start: DateValue; end?: DateValue }[];
  exdates: DateValue[];
  /** Problems that did not stop the event from being read (a bad EXDATE value, say). */
  warnings: { code: string; message: string }[];
  sequence: number;
  lastModified?: string;
  status: EventStatus;
  summary: string;
  description: string;
  location?: string;
  geo?: GeoPoint;
  url?: string;
  organizerName?: string;
  categories: string[];
}

/**
 * UID for a VEVENT without one: a hash of its DTSTART and SUMMARY, so the same event keeps its key
 * across fetches even when other events are added or removed around it. Editing its start or title
 * makes it a new event, which is the best that can be done without a UID.
 */
export function syntheticUid(dtstart: string, summary: string): string {
  const hash = createHash("sha256").update(`${dtstart}\n${summary}`).digest("hex").slice(0, 24);
  return `no-uid-${hash}`;
}

/** The empty list most records have for warnings, EXDATEs and RDATEs, shared (never written to). */
const NONE: never[] = Object.freeze([]) as unknown as never[];

function text(c: Component, name: string): string | undefined {
  const p = prop(c, name);
  return p ? unescapeText(p.value) : undefined;
}

function status(value: string | undefined): EventStatus {
  switch (value?.trim().toUpperCase()) {
    case "CANCELLED":
    case "CANCELED":
      return "cancelled";
    case "TENTATIVE":
      return "tentative";
    default:
      return "confirmed";
  }
}

function categories(c: Component): string[] {
  const out: string[] = [];
  for (const line of props(c, "CATEGORIES")) {
    for (const part of line.value.split(/(?<!\\),/)) {
      const v = cleanLine(unescapeText(part));
      if (v && !out.includes(v)) out.push(v);
    }
  }
  return out;
}

function lastModified(line: ContentLine | undefined, ctx: ValueContext): string | undefined {
  if (!line) return undefined;
  try {
    const v = parseDateValue(line.value, line.params, ctx, line.name, "UTC");
    return v.kind === "instant" ? new Date(v.ms).toISOString() : `${v.date}T00:00:00.000Z`;
  } catch {
    return undefined;
  }
}

function endOf(c: Component, start: DateValue, ctx: ValueContext, floatingZone: string): DateValue {
  const dtend = prop(c, "DTEND");
  const duration = prop(c, "DURATION");
  let end: DateValue | undefined;
  if (dtend) {
    end = parseDateValue(dtend.value, dtend.params, ctx, "DTEND", floatingZone);
  } else if (duration) {
    const d: Duration | undefined = parseDuration(duration.value);
    if (!d) throw new ValueError("invalid-duration", `DURATION "${duration.value}" is not a valid duration`);
    end = addDuration(start, d);
  }
  // RFC 5545 3.6.1: without DTEND or DURATION a date event lasts one day, a date-time event no time.
  if (!end) return start.kind === "date" ? addDuration(start, { sign: 1, days: 1, ms: 0 }) : start;
  if (start.kind === "date") {
    const endDate = end.kind === "date" ? end.date : undefined;
    if (!endDate || daysBetween(start.date, endDate) < 1)
      return addDuration(start, { sign: 1, days: 1, ms: 0 });
    return end;
  }
  if (end.kind === "date") {
    // A date-only DTEND on a timed event: read it as midnight in the event's zone.
    end = parseDateValue(end.date.replaceAll("-", "") + "T000000", { TZID: start.zone }, ctx, "DTEND");
  }
  if (end.kind === "instant" && end.ms < start.ms) {
    throw new ValueError("end-before-start", "DTEND is before DTSTART");
  }
  return end;
}

export function readEventRecord(c: Component, position: number, ctx: ValueContext): EventRecord {
  const uidText = text(c, "UID")?.trim();
  const summaryRaw = text(c, "SUMMARY") ?? "";
  const dtstart = prop(c, "DTSTART");
  if (c.unterminated) {
    throw new ValueError("incomplete-event", `the VEVENT starting at line ${c.lineNo} has no END:VEVENT`);
  }
  if (!dtstart) throw new ValueError("missing-dtstart", `the VEVENT at line ${c.lineNo} has no DTSTART`);
  const uid = uidText || syntheticUid(dtstart.value.trim(), summaryRaw.trim());

  const start = parseDateValue(dtstart.value, dtstart.params, ctx, "DTSTART");
  // Other date properties without a zone of their own are read in DTSTART's zone.
  const eventZone = start.kind === "instant" && !start.utc ? start.zone : ctx.floatingZone;
  const end = endOf(c, start, ctx, eventZone);

  const ridLine = prop(c, "RECURRENCE-ID");
  const recurrenceId = ridLine
    ? parseDateValue(ridLine.value, ridLine.params, ctx, "RECURRENCE-ID", eventZone)
    : undefined;

  // A bad EXDATE or RDATE value costs only that value, not the whole series.
  let warnings: EventRecord["warnings"] = NONE;
  const dateList = (name: string): { start: DateValue; end?: DateValue }[] => {
    const lines = props(c, name);
    if (lines.length === 0) return NONE;
    return lines.flatMap((line) => {
      const out: { start: DateValue; end?: DateValue }[] = [];
      for (const part of line.value.split(",")) {
        try {
          out.push(...parseDateList({ ...line, value: part }, ctx, eventZone));
        } catch (err) {
          if (warnings === NONE) warnings = [];
          warnings.push({
            code: `invalid-${name.toLowerCase()}`,
            message: `${(err as Error).message}; that value was ignored`,
          });
        }
      }
      return out;
    });
  };
  const exdateList = dateList("EXDATE");
  const exdates = exdateList.length === 0 ? NONE : exdateList.map((v) => v.start);
  const rdates = dateList("RDATE");

  const organizer = prop(c, "ORGANIZER");
  const altDesc = props(c, "X-ALT-DESC").find((p) => (p.params.FMTTYPE ?? "").toLowerCase().includes("html"));
  const seq = Number.parseInt(prop(c, "SEQUENCE")?.value ?? "0", 10);
  const location = cleanLine(text(c, "LOCATION") ?? "");
  const rrule = prop(c, "RRULE")?.value.trim();

  // Every field is written here, absent ones as undefined, so that each record is one object of one
  // shape (fields added later would each cost records a separate property store). Thousands of records
  // are alive until the events are built.
  return {
    uid,
    syntheticUid: !uidText,
    position,
    lineNo: c.lineNo,
    start,
    end,
    recurrenceId,
    thisAndFuture: (ridLine?.params.RANGE ?? "").toUpperCase() === "THISANDFUTURE",
    rrule: rrule || undefined,
    rdates,
    exdates,
    warnings,
    sequence: Number.isFinite(seq) ? seq : 0,
    lastModified: lastModified(prop(c, "LAST-MODIFIED"), ctx) || undefined,
    status: status(prop(c, "STATUS")?.value),
    summary: cleanLine(summaryRaw),
    description: plainDescription(text(c, "DESCRIPTION"), altDesc ? unescapeText(altDesc.value) : undefined),
    location: location || undefined,
    geo: parseGeo(prop(c, "GEO")?.value),
    url: safeUrl(text(c, "URL")) || undefined,
    organizerName: organizerName(organizer?.params.CN) || undefined,
    categories: categories(c),
  };
}
