/**
 * parseFeed: iCalendar bytes or text to the plain event model, with every problem reported instead of
 * thrown. Pure: no I/O, no dependence on the host's time zone.
 */
import type { CalendarEvent, FeedProblem, ParsedFeed } from "../core/event.ts";
import { buildEvents, startMsOf } from "./assemble.ts";
import { decodeFeed } from "./decode.ts";
import { FeedError } from "./errors.ts";
import type { Component } from "./lines.ts";
import { prop, readComponents, unescapeText, unfold } from "./lines.ts";
import { readEventRecord } from "./record.ts";
import type { EventRecord } from "./record.ts";
import { ZoneResolver, zoneFromName } from "./tzid.ts";
import type { ValueContext } from "./values.ts";
import { ValueError } from "./values.ts";
import { canonicalZone } from "./zones.ts";

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
      // A copy: slices of the match would keep the whole decoded feed alive as long as the zone rules.
      const block = Buffer.from(m[0], "utf8").toString("utf8");
      vtimezones.push(...readComponents(unfold(block)).roots.filter((c) => c.name === "VTIMEZONE"));
    }
  }
  const wr = /^X-WR-TIMEZONE(?:;[^:\r\n]*)?:(.*(?:(?:\r\n|\n|\r)[ \t].*)*)/im.exec(text);
  const wrValue = wr?.[1]?.replace(/(?:\r\n|\n|\r)[ \t]/g, "").trim();
  const wrTimezone = wrValue ? Buffer.from(wrValue, "utf8").toString("utf8") : undefined;
  return wrTimezone ? { wrTimezone, vtimezones } : { vtimezones };
}

/** In start order, then by key. Start times are computed once (no per-event tuples or spans). */
function sortEvents(events: CalendarEvent[], zone: string): void {
  const starts = events.map((e) => startMsOf(e, zone));
  const order = events.map((_, i) => i);
  order.sort((a, b) => {
    const byStart = starts[a]! - starts[b]!;
    if (byStart !== 0) return byStart;
    const ka = events[a]!.key;
    const kb = events[b]!.key;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const sorted = order.map((i) => events[i]!);
  for (let i = 0; i < sorted.length; i++) events[i] = sorted[i]!;
}

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
  const decoded = decodeFeed(input, feedId);
  const { encoding } = decoded;
  refuseNonCalendar(decoded.text, feedId);
  const problems: FeedProblem[] = [];
  if (encoding === "windows-1252") {
    problems.push({
      code: "encoding",
      message: `feed "${feedId}" is not valid UTF-8; it was read as Windows-1252/Latin-1`,
    });
  }

  // Zones first (they may be defined after the events using them), then events one by one.
  const found = prescan(decoded.text);
  // Valid UTF-8 is read again line by line from the bytes (see unfold): the whole decoded text is
  // not needed past this point and can be collected while the events are read.
  const source = decoded.utf8 ?? decoded.text;
  decoded.text = "";
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
  const tree = readComponents(unfold(source), (c) => {
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
  sortEvents(events, ctxZone);
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
