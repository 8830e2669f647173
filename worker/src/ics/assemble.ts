/**
 * From event records to CalendarEvents: one event per single VEVENT, one per occurrence of a series,
 * RECURRENCE-ID overrides applied, duplicates settled, the window and the per-series cap enforced.
 */
import type { CalendarEvent, FeedProblem } from "../core/event.ts";
import { seriesOccurrences } from "./expand.ts";
import type { Occurrence } from "./expand.ts";
import type { ParseOptions } from "./parse.ts";
import type { EventRecord } from "./record.ts";
import type { DateValue } from "./values.ts";
import { ValueError, dateIn, valueKey } from "./values.ts";
import { addDays, daysBetween, startOfDate } from "./zones.ts";

const DAY = 86_400_000;

export interface Span {
  startMs: number;
  endMs: number;
}

/** Counts an event as inside the window when it overlaps it (a zero-length event: starts inside). */
function inWindow(span: Span, window: { from: Date; to: Date }): boolean {
  const from = window.from.getTime();
  const to = window.to.getTime();
  if (span.endMs <= span.startMs) return span.startMs >= from && span.startMs < to;
  return span.startMs < to && span.endMs > from;
}

function better(a: EventRecord, b: EventRecord): EventRecord {
  if (a.sequence !== b.sequence) return a.sequence > b.sequence ? a : b;
  const la = a.lastModified ?? "";
  const lb = b.lastModified ?? "";
  if (la !== lb) return la > lb ? a : b;
  return a.position > b.position ? a : b;
}

function describeDuplicate(kept: EventRecord): string {
  const why = [`SEQUENCE ${kept.sequence}`];
  if (kept.lastModified) why.push(`LAST-MODIFIED ${kept.lastModified}`);
  return `kept the copy at line ${kept.lineNo} (${why.join(", ")})`;
}

/** Start of an event as an instant (an all-day event: midnight at the start of its date in the zone). */
export function startMsOf(e: CalendarEvent, zone: string): number {
  return e.time.kind === "allDay" ? startOfDate(e.time.startDate, zone) : Date.parse(e.time.start);
}

/** Builds the CalendarEvent for one occurrence (or a single event) of a record. */
function toEvent(
  rec: EventRecord,
  start: DateValue,
  end: DateValue,
  key: string,
  displayZone: string | undefined,
  recurrenceId?: string,
  rrule?: string,
): CalendarEvent {
  const time: CalendarEvent["time"] =
    start.kind === "date"
      ? {
          kind: "allDay",
          startDate: start.date,
          endDate: end.kind === "date" ? end.date : addDays(start.date, 1),
        }
      : {
          kind: "timed",
          start: new Date(start.ms).toISOString(),
          end: new Date(end.kind === "instant" ? Math.max(end.ms, start.ms) : start.ms).toISOString(),
          timezone: start.utc ? (displayZone ?? "UTC") : start.zone,
        };
  const event: CalendarEvent = {
    key,
    uid: rec.uid,
    summary: rec.summary,
    description: rec.description,
    status: rec.status,
    sequence: rec.sequence,
    categories: rec.categories,
    time,
  };
  if (recurrenceId !== undefined) event.recurrenceId = recurrenceId;
  if (rec.location) event.location = rec.location;
  if (rec.geo) event.geo = rec.geo;
  if (rec.url) event.url = rec.url;
  if (rec.organizerName) event.organizerName = rec.organizerName;
  if (rec.lastModified) event.lastModified = rec.lastModified;
  if (rrule) event.rrule = rrule;
  return event;
}

/** End of an occurrence: the series' length applied to its start (days for all-day, exact time otherwise). */
function shiftedEnd(master: EventRecord, start: DateValue): DateValue {
  if (master.start.kind === "date" && master.end.kind === "date" && start.kind === "date") {
    return { kind: "date", date: addDays(start.date, daysBetween(master.start.date, master.end.date)) };
  }
  if (master.start.kind === "instant" && master.end.kind === "instant" && start.kind === "instant") {
    return { ...start, ms: start.ms + (master.end.ms - master.start.ms) };
  }
  return start.kind === "date" ? { kind: "date", date: addDays(start.date, 1) } : start;
}

export function buildEvents(
  records: EventRecord[],
  opts: ParseOptions,
  zone: string,
  displayZone: string | undefined,
  problems: FeedProblem[],
): CalendarEvent[] {
  const { feedId, window } = opts;
  const cap = opts.maxOccurrencesPerSeries ?? 1000;
  // Most UIDs have one record: it is kept as is, and only UIDs seen again get a list. (Every group
  // lives until all events are built; a list and two arrays per UID were a sizeable part of that.)
  const byUid = new Map<string, EventRecord | EventRecord[]>();
  for (const r of records) {
    const seen = byUid.get(r.uid);
    if (seen === undefined) byUid.set(r.uid, r);
    else if (Array.isArray(seen)) seen.push(r);
    else byUid.set(r.uid, [seen, r]);
  }

  const events: CalendarEvent[] = [];
  const span = (start: DateValue, end: DateValue): Span =>
    start.kind === "date"
      ? {
          startMs: startOfDate(start.date, zone),
          endMs: startOfDate(end.kind === "date" ? end.date : start.date, zone),
        }
      : { startMs: start.ms, endMs: end.kind === "instant" ? end.ms : start.ms };
  const push = (e: CalendarEvent, s: DateValue, en: DateValue): void => {
    if (inWindow(span(s, en), window)) events.push(e);
  };

  for (const [uid, entry] of byUid) {
    const group = Array.isArray(entry) ? entry : [entry];
    const masters = group.filter((r) => !r.recurrenceId);
    let master: EventRecord | undefined;
    for (const m of masters) master = master ? better(master, m) : m;
    if (masters.length > 1 && master) {
      problems.push({
        uid,
        code: "duplicate-uid",
        message: `feed "${feedId}": UID "${uid}" appears ${masters.length} times without RECURRENCE-ID; ${describeDuplicate(master)}`,
      });
    }
    const overrides = new Map<string, EventRecord>();
    for (const o of group) {
      if (!o.recurrenceId) continue;
      let rid = o.recurrenceId!;
      // Exchange writes RECURRENCE-IDs of all-day series as midnight date-times in its zone.
      if (master?.start.kind === "date" && rid.kind === "instant") {
        rid = { kind: "date", date: dateIn(rid, rid.zone) };
        o.recurrenceId = rid;
      }
      const k = valueKey(rid);
      const existing = overrides.get(k);
      overrides.set(k, existing ? better(existing, o) : o);
    }
    const isSeries = master && (master.rrule !== undefined || master.rdates.length > 0);

    if (master && !isSeries) {
      // A single event; an override of its own start replaces it.
      const own = overrides.get(valueKey(master.start));
      const rec = own ? better(master, own) : master;
      if (own) overrides.delete(valueKey(master.start));
      push(toEvent(rec, rec.start, rec.end, uid, displayZone), rec.start, rec.end);
    }

    if (master && isSeries) {
      let occurrences: Occurrence[];
      try {
        const masterSpan = span(master.start, master.end);
        const durMs = Math.max(0, masterSpan.endMs - masterSpan.startMs);
        const from = new Date(window.from.getTime() - durMs - 2 * DAY);
        const to = new Date(window.to.getTime() + 2 * DAY);
        occurrences = seriesOccurrences(master, from, to, cap * 4 + 10);
      } catch (err) {
        const code = err instanceof ValueError ? err.code : "invalid-rrule";
        problems.push({
          uid,
          code,
          message: `feed "${feedId}": the series "${master.summary}" (UID "${uid}") was skipped: ${(err as Error).message}`,
        });
        occurrences = [];
      }
      const futureOverrides = [...overrides.values()]
        .filter((o) => o.thisAndFuture)
        .sort((a, b) => (valueKey(a.recurrenceId!) < valueKey(b.recurrenceId!) ? -1 : 1));
      let kept = 0;
      let capped = false;
      for (const occ of occurrences) {
        const rid = occ.key;
        if (overrides.has(rid)) continue;
        // RANGE=THISANDFUTURE: the latest such override before this occurrence supplies its data and shift.
        let source: EventRecord = master;
        let start = occ.start;
        for (const o of futureOverrides) {
          if (valueKey(o.recurrenceId!) <= rid && sameKind(o.recurrenceId!, occ.start)) {
            source = o;
          }
        }
        if (source !== master) start = shift(occ.start, source.recurrenceId!, source.start);
        const end = occ.end ?? shiftedEnd(source, start);
        if (!inWindow(span(start, end), window)) continue;
        if (kept >= cap) {
          capped = true;
          break;
        }
        kept++;
        events.push(toEvent(source, start, end, `${uid}@${rid}`, displayZone, rid, master.rrule));
      }
      if (capped) {
        problems.push({
          uid,
          code: "occurrence-cap",
          message: `feed "${feedId}": the series "${master.summary}" (UID "${uid}") has more than ${cap} occurrences in the window; only the first ${cap} were kept`,
        });
      }
    }

    for (const [rid, o] of overrides) {
      push(toEvent(o, o.start, o.end, `${uid}@${rid}`, displayZone, rid, master?.rrule), o.start, o.end);
    }
  }
  return events;
}

function sameKind(a: DateValue, b: DateValue): boolean {
  return a.kind === b.kind;
}

/** Moves a start by the distance between an override's RECURRENCE-ID and its new DTSTART. */
function shift(start: DateValue, from: DateValue, to: DateValue): DateValue {
  if (start.kind === "date" && from.kind === "date" && to.kind === "date") {
    return { kind: "date", date: addDays(start.date, daysBetween(from.date, to.date)) };
  }
  if (start.kind === "instant" && from.kind === "instant" && to.kind === "instant") {
    return { ...start, ms: start.ms + (to.ms - from.ms) };
  }
  return start;
}
