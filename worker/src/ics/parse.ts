/**
 * parseFeed: iCalendar bytes or text to the plain event model, with every problem reported instead of
 * thrown. Pure: no I/O, no dependence on the host's time zone.
 */
import type { CalendarEvent, FeedProblem, ParsedFeed } from "../core/event.ts";
import { decodeFeed } from "./decode.ts";
import { FeedError } from "./errors.ts";
import { seriesOccurrences } from "./expand.ts";
import type { Occurrence } from "./expand.ts";
import type { Component } from "./lines.ts";
import { prop, readComponents, unescapeText, unfold } from "./lines.ts";
import { readEventRecord } from "./record.ts";
import type { EventRecord } from "./record.ts";
import { ZoneResolver, zoneFromName } from "./tzid.ts";
import type { DateValue, ValueContext } from "./values.ts";
import { ValueError, dateIn, valueKey } from "./values.ts";
import { addDays, canonicalZone, daysBetween, startOfDate } from "./zones.ts";

export interface ParseOptions {
  /** Named in every problem and error message. */
  feedId: string;
  /** For floating times when the feed has no X-WR-TIMEZONE; default "UTC". */
  defaultTimezone?: string;
  /** Occurrences of series are kept inside it; single events outside it are dropped. */
  window: { from: Date; to: Date };
  /** Default 1000; hitting it is reported as a FeedProblem. */
  maxOccurrencesPerSeries?: number;
  /** Default 20000 per feed; reported when hit. */
  maxEvents?: number;
}

const DAY = 86_400_000;

function refuseNonCalendar(text: string, feedId: string): void {
  const head = text.slice(0, 2048).trimStart();
  if (/^BEGIN:VCALENDAR/i.test(head)) return;
  if (/^<(?:!doctype|html|\?xml|head|body)/i.test(head)) {
    throw new FeedError(feedId, "not-icalendar", "got an HTML/XML page instead of an iCalendar feed");
  }
  if (/^[{[]/.test(head))
    throw new FeedError(feedId, "not-icalendar", "got JSON instead of an iCalendar feed");
  if (head === "") throw new FeedError(feedId, "not-icalendar", "the feed is empty");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000E-\u001F]/.test(head)) {
    throw new FeedError(feedId, "not-icalendar", "the content is binary data, not an iCalendar text");
  }
  throw new FeedError(
    feedId,
    "not-icalendar",
    // No excerpt of the content: a misconfigured source must not echo a file or page into status.
    "the content is not iCalendar (it does not start with BEGIN:VCALENDAR)",
  );
}

/** X-WR-TIMEZONE and the VTIMEZONE components, found before the events are read. */
function prescan(text: string): { wrTimezone?: string; vtimezones: Component[] } {
  const vtimezones: Component[] = [];
  if (/BEGIN:VTIMEZONE/i.test(text)) {
    for (const m of text.matchAll(/^BEGIN:VTIMEZONE\b[\s\S]*?^END:VTIMEZONE\b/gim)) {
      vtimezones.push(...readComponents(unfold(m[0])).roots.filter((c) => c.name === "VTIMEZONE"));
    }
  }
  const wr = /^X-WR-TIMEZONE(?:;[^:\r\n]*)?:(.*(?:(?:\r\n|\n|\r)[ \t].*)*)/im.exec(text);
  const wrTimezone = wr?.[1]?.replace(/(?:\r\n|\n|\r)[ \t]/g, "").trim();
  return wrTimezone ? { wrTimezone, vtimezones } : { vtimezones };
}

interface Span {
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

/** What was read from the file before windowing, for tests, the inspect command and the benchmark. */
export interface FeedStats {
  /** VEVENT components in the file. */
  vevents: number;
  /** VEVENTs skipped because of a problem. */
  skipped: number;
  /** Distinct UIDs written in the VEVENTs read. */
  distinctUids: number;
  /** VEVENTs read that had no UID (they get a synthetic one). */
  withoutUid: number;
}

export function parseFeed(input: string | Uint8Array, opts: ParseOptions): ParsedFeed {
  return parseFeedWithStats(input, opts).feed;
}

export function parseFeedWithStats(
  input: string | Uint8Array,
  opts: ParseOptions,
): { feed: ParsedFeed; stats: FeedStats } {
  const { feedId } = opts;
  const { text, encoding } = decodeFeed(input, feedId);
  refuseNonCalendar(text, feedId);
  const problems: FeedProblem[] = [];
  if (encoding === "windows-1252") {
    problems.push({
      code: "encoding",
      message: `feed "${feedId}" is not valid UTF-8; it was read as Windows-1252/Latin-1`,
    });
  }

  // Zones first (they may be defined after the events using them), then events one by one.
  const found = prescan(text);
  const calendarTimezone = found.wrTimezone ? zoneFromName(found.wrTimezone) : undefined;
  if (found.wrTimezone && !calendarTimezone) {
    problems.push({
      code: "unknown-timezone",
      message: `feed "${feedId}": X-WR-TIMEZONE "${found.wrTimezone}" is not a known time zone; it was ignored`,
    });
  }
  const configured = canonicalZone(opts.defaultTimezone ?? "UTC");
  if (!configured) {
    throw new FeedError(
      feedId,
      "bad-config",
      `the configured time zone "${opts.defaultTimezone}" is not an IANA zone`,
    );
  }
  const floatingZone = calendarTimezone ?? configured;
  const resolver = new ZoneResolver({ vtimezones: found.vtimezones, preferred: [floatingZone] });
  const ctx: ValueContext = { resolveZone: (tzid, year) => resolver.resolve(tzid, year), floatingZone };

  const records: EventRecord[] = [];
  const eventProblems: FeedProblem[] = [];
  const syntheticSeen = new Map<string, number>();
  let veventCount = 0;
  let completeCount = 0;
  const readVevent = (ve: Component): void => {
    const position = veventCount++;
    if (!ve.unterminated) completeCount++;
    try {
      const record = readEventRecord(ve, position, ctx);
      if (record.syntheticUid) {
        // Identical start and title without UIDs: number them in file order.
        const n = (syntheticSeen.get(record.uid) ?? 0) + 1;
        syntheticSeen.set(record.uid, n);
        if (n > 1) record.uid = `${record.uid}-${n}`;
      }
      records.push(record);
      for (const w of record.warnings) {
        eventProblems.push({
          uid: record.uid,
          code: w.code,
          message: `feed "${feedId}": VEVENT at line ${ve.lineNo}${record.summary ? ` ("${record.summary.slice(0, 60)}")` : ""}: ${w.message}`,
        });
      }
    } catch (err) {
      const uid = unescapeText(prop(ve, "UID")?.value ?? "").trim() || undefined;
      const code = err instanceof ValueError ? err.code : "invalid-event";
      const summary = unescapeText(prop(ve, "SUMMARY")?.value ?? "").trim();
      const what = `VEVENT at line ${ve.lineNo}${summary ? ` ("${summary.slice(0, 60)}")` : ""}`;
      eventProblems.push({
        ...(uid ? { uid } : {}),
        code,
        message: `feed "${feedId}": ${what} skipped: ${(err as Error).message}`,
      });
    }
  };
  const tree = readComponents(unfold(text), (c) => {
    if (c.name === "VEVENT") readVevent(c);
  });
  const calendars = tree.roots.filter((c) => c.name === "VCALENDAR");
  if (calendars.length === 0) throw new FeedError(feedId, "not-icalendar", "no VCALENDAR component found");
  if (calendars.some((c) => c.unterminated)) {
    if (completeCount === 0) {
      throw new FeedError(
        feedId,
        "truncated",
        "the feed is cut off (no END:VCALENDAR) before any complete event",
      );
    }
    problems.push({
      code: "truncated",
      message: `feed "${feedId}" is cut off (no END:VCALENDAR); the ${completeCount} complete events were read`,
    });
  }
  problems.push(...eventProblems);
  const cal = calendars[0]!;

  const ctxZone = floatingZone;
  const events = buildEvents(records, opts, ctxZone, calendarTimezone, problems);

  const maxEvents = opts.maxEvents ?? 20_000;
  const order = new Map(events.map((e) => [e, spanOf(e, ctxZone).startMs]));
  events.sort((a, b) => order.get(a)! - order.get(b)! || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (events.length > maxEvents) {
    problems.push({
      code: "event-cap",
      message: `feed "${feedId}" has ${events.length} events in the window; only the first ${maxEvents} were kept`,
    });
    events.length = maxEvents;
  }

  const result: ParsedFeed = { events, problems };
  const name = prop(cal, "X-WR-CALNAME")?.value ?? prop(cal, "NAME")?.value;
  if (name) result.calendarName = unescapeText(name).trim();
  if (calendarTimezone) result.calendarTimezone = calendarTimezone;
  const prodId = prop(cal, "PRODID")?.value;
  if (prodId) result.prodId = unescapeText(prodId).trim();
  const stats: FeedStats = {
    vevents: veventCount,
    skipped: veventCount - records.length,
    distinctUids: new Set(records.filter((r) => !r.syntheticUid).map((r) => r.uid)).size,
    withoutUid: records.filter((r) => r.syntheticUid).length,
  };
  return { feed: result, stats };
}

function spanOf(e: CalendarEvent, zone: string): Span {
  if (e.time.kind === "allDay") {
    return { startMs: startOfDate(e.time.startDate, zone), endMs: startOfDate(e.time.endDate, zone) };
  }
  return { startMs: Date.parse(e.time.start), endMs: Date.parse(e.time.end) };
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

function buildEvents(
  records: EventRecord[],
  opts: ParseOptions,
  zone: string,
  displayZone: string | undefined,
  problems: FeedProblem[],
): CalendarEvent[] {
  const { feedId, window } = opts;
  const cap = opts.maxOccurrencesPerSeries ?? 1000;
  const byUid = new Map<string, { masters: EventRecord[]; overrideList: EventRecord[] }>();
  for (const r of records) {
    let group = byUid.get(r.uid);
    if (!group) {
      group = { masters: [], overrideList: [] };
      byUid.set(r.uid, group);
    }
    if (r.recurrenceId) group.overrideList.push(r);
    else group.masters.push(r);
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

  for (const [uid, group] of byUid) {
    let master: EventRecord | undefined;
    for (const m of group.masters) master = master ? better(master, m) : m;
    if (group.masters.length > 1 && master) {
      problems.push({
        uid,
        code: "duplicate-uid",
        message: `feed "${feedId}": UID "${uid}" appears ${group.masters.length} times without RECURRENCE-ID; ${describeDuplicate(master)}`,
      });
    }
    const overrides = new Map<string, EventRecord>();
    for (const o of group.overrideList) {
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
        const rid = valueKey(occ.start);
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
