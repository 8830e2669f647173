/**
 * Recognising topics that already stand for a feed event: ones this worker wrote (managed block
 * marker), ones the Python importer ics_to_discourse.py wrote (ICSUID marker and [event] block in
 * the site timezone), and ones a person made with an [event] or [date] for the same time and place.
 */
import { DateTime } from "luxon";
import type { CalendarEvent } from "../core/event.ts";
import type { AdoptionMode } from "../core/feed.ts";
import { legacyUidHash, legacyUidTag } from "./identity.ts";
import { readBlockIdentity } from "./render.ts";

/** A topic in the feed's category that the state store does not know. */
export interface TopicCandidate {
  topicId: number;
  postId: number;
  title: string;
  raw: string;
  tags?: string[];
  /** The raw text came from an earlier run's cache: read it again before editing the post. */
  cached?: boolean;
}

export interface CandidateFacts {
  externalId?: string;
  eventKey?: string;
  legacyUid?: string;
  /** "ics-" + 10 hex digits: the tag older Python importer versions added. */
  legacyTag?: string;
  /** Epoch ms (timed) or "YYYY-MM-DD" (all-day). */
  start?: number | string;
  end?: number | string;
  location?: string;
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/(\w+)=(?:"([^"]*)"|'([^']*)'|([^\s\]]+))/g)) {
    out[m[1]!] = m[2] ?? m[3] ?? m[4] ?? "";
  }
  return out;
}

function instant(value: string | undefined, zone: string): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  const dt = /[zZ]|[+-]\d\d:?\d\d$/.test(v)
    ? DateTime.fromISO(v.replace(" ", "T"), { setZone: true })
    : DateTime.fromISO(v.replace(" ", "T"), { zone });
  return dt.isValid ? dt.toMillis() : undefined;
}

/** Reads what a topic's first post says about its event. `siteTimezone` is used when none is given. */
export function readCandidate(
  raw: string,
  siteTimezone: string,
  tags: readonly string[] = [],
): CandidateFacts {
  const facts: CandidateFacts = {};
  const tag = tags.find((t) => /^ics-[0-9a-f]{10}$/.test(t));
  if (tag) facts.legacyTag = tag;
  const identity = readBlockIdentity(raw);
  if (identity) {
    facts.externalId = identity.externalId;
    facts.eventKey = identity.eventKey;
  }
  const legacy = /<!--\s*ICSUID:([0-9a-f]{16})\s*-->/.exec(raw);
  if (legacy) facts.legacyUid = legacy[1];
  const eventTag = /\[event\s([^\]]*)\]/.exec(raw);
  if (eventTag) {
    const a = attributes(eventTag[1]!);
    const zone = a.timezone || siteTimezone;
    if (a.allDay === "true" || (a.start && /^\d{4}-\d\d-\d\d$/.test(a.start))) {
      facts.start = a.start;
      if (a.end)
        facts.end = DateTime.fromISO(a.end, { zone: "UTC" }).plus({ days: 1 }).toISODate() ?? undefined;
    } else {
      facts.start = instant(a.start, zone);
      facts.end = instant(a.end, zone);
    }
    if (a.location) facts.location = a.location;
    return facts;
  }
  const dates = [...raw.matchAll(/\[date=(\d{4}-\d\d-\d\d)([^\]]*)\]/g)].slice(0, 2);
  if (dates.length > 0) {
    const read = (m: RegExpMatchArray) => {
      const a = attributes(m[2] ?? "");
      return a.time ? instant(`${m[1]} ${a.time}`, a.timezone || siteTimezone) : m[1];
    };
    facts.start = read(dates[0]!);
    if (dates[1]) facts.end = read(dates[1]);
  }
  return facts;
}

/** Whether any feed could ever adopt a topic with these facts (a marker, or a time to match). */
export function mayStandForEvent(facts: CandidateFacts): boolean {
  return Boolean(facts.externalId || facts.legacyUid || facts.legacyTag || facts.start !== undefined);
}

function normalizePlace(s: string | undefined): string {
  return (s ?? "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

function minute(ms: number): number {
  return Math.floor(ms / 60000);
}

function sameTime(event: CalendarEvent, facts: CandidateFacts): boolean {
  if (facts.start === undefined) return false;
  if (event.time.kind === "allDay") {
    if (facts.start !== event.time.startDate) return false;
    return facts.end === undefined || facts.end === event.time.endDate;
  }
  if (typeof facts.start !== "number") return false;
  if (minute(facts.start) !== minute(Date.parse(event.time.start))) return false;
  if (facts.end === undefined) return event.time.end === event.time.start;
  return typeof facts.end === "number" && minute(facts.end) === minute(Date.parse(event.time.end));
}

export type MatchReason = "marker" | "legacy" | "time-and-location" | "time-only";

/** Why `facts` stands for `event`, or undefined when it does not. */
export function matchCandidate(
  event: CalendarEvent,
  externalId: string,
  facts: CandidateFacts,
  mode: AdoptionMode,
): MatchReason | undefined {
  if (facts.externalId) return facts.externalId === externalId ? "marker" : undefined;
  if (facts.legacyUid || facts.legacyTag) {
    const same = facts.legacyUid
      ? facts.legacyUid === legacyUidHash(event.uid)
      : facts.legacyTag === legacyUidTag(event.uid);
    if (!same) return undefined;
    // a series shares one UID: the Python importer made one topic per occurrence, so the time decides
    return event.recurrenceId === undefined || sameTime(event, facts) ? "legacy" : undefined;
  }
  if (mode === "off" || !sameTime(event, facts)) return undefined;
  if (mode === "time-only") return "time-only";
  return normalizePlace(facts.location) === normalizePlace(event.location) ? "time-and-location" : undefined;
}
