/**
 * The pure planner: from the feed's events, what the state store knows and the unknown topics found
 * in the category, decide one action per event (and per vanished event) with a reason a person can
 * read. No I/O: run-sync carries the plan out.
 */
import type { CalendarEvent } from "../core/event.ts";
import type { FeedConfig, RemovedPolicy, SiteConfig } from "../core/feed.ts";
import type { ImportedEventRecord } from "../core/imported-event.ts";
import { spanMs } from "../core/span-ms.ts";
import { matchCandidate, readCandidate, type MatchReason, type TopicCandidate } from "./adoption.ts";
import { externalIdFor } from "./identity.ts";
import { renderEventBlock, type RenderedEvent } from "./render.ts";
import { normalizeTags } from "./tags.ts";
import { renderTitle } from "./title.ts";

export type ActionKind = "create" | "update" | "adopt" | "unchanged" | "cancel" | "remove" | "skip";

export interface PlannedAction {
  kind: ActionKind;
  eventKey: string;
  summary: string;
  reason: string;
  externalId: string;
  event?: CalendarEvent;
  record?: ImportedEventRecord;
  rendered?: RenderedEvent;
  /**
   * create (and adopt, in case the topic to adopt is gone): the title and tags the topic starts
   * with (never changed later).
   */
  title?: string;
  tags?: string[];
  /** update/cancel: edit without bumping the topic (nothing about time or place changed). */
  quiet?: boolean;
  /** update: the topic had been closed/unlisted/archived/deleted by a removal or cancellation; undo it. */
  restore?: boolean;
  /** create: look the external_id up first, the state having been lost (see run-sync). */
  recover?: boolean;
  /** adopt: the topic that already stands for this event. */
  candidate?: TopicCandidate & { match: MatchReason };
  /** remove: what to do with the topic. */
  removal?: RemovedPolicy;
  /** skip: a removal held back by the mass-removal guard (the run is not complete). */
  held?: boolean;
}

export interface PlanInput {
  site: SiteConfig;
  feed: FeedConfig;
  events: readonly CalendarEvent[];
  records: readonly ImportedEventRecord[];
  /** Topics in the feed's category that no record points to (only looked up when needed). */
  candidates?: readonly TopicCandidate[];
  window: { from: Date; to: Date };
  /** Events that ended before this are never removed (feeds often drop their past). Default: now. */
  now?: Date;
}

/** Removals above this share of the events known in the window need allowMassRemoval. */
export const MASS_REMOVAL_SHARE = 0.5;
export const MASS_REMOVAL_MIN = 3;

function insideWindow(event: CalendarEvent, window: { from: Date; to: Date }): boolean {
  const { start, end } = spanMs(event.time);
  return end >= window.from.getTime() && start <= window.to.getTime();
}

/** Whether readers need to notice the change (the topic is bumped) or it is a quiet correction. */
export function timeOrPlaceChanged(before: CalendarEvent, after: CalendarEvent): boolean {
  return (
    JSON.stringify(before.time) !== JSON.stringify(after.time) ||
    (before.location ?? "") !== (after.location ?? "")
  );
}

export function renderFor(event: CalendarEvent, site: SiteConfig, feed: FeedConfig): RenderedEvent {
  return renderEventBlock(event, {
    externalId: externalIdFor(site.id, feed.id, event.key),
    siteTimezone: site.timezone,
    calendarPlugin: site.calendarPlugin,
  });
}

function planEvent(
  event: CalendarEvent,
  record: ImportedEventRecord | undefined,
  input: PlanInput,
  claim: (event: CalendarEvent, externalId: string) => PlannedAction["candidate"],
): PlannedAction {
  const { site, feed } = input;
  const externalId = externalIdFor(site.id, feed.id, event.key);
  const rendered = renderFor(event, site, feed);
  const base = { eventKey: event.key, summary: event.summary, externalId, event, rendered };
  if (!record) {
    const startsWith = {
      title: renderTitle(event, {
        template: feed.titleTemplate,
        siteTimezone: site.timezone,
        feedName: feed.name,
      }),
      tags: normalizeTags(feed.tags),
    };
    const candidate = claim(event, externalId);
    if (candidate) {
      const why: Record<MatchReason, string> = {
        marker: "a topic already carries this event's marker",
        legacy: "created by the Python importer (ICSUID marker)",
        "time-and-location": "a topic in the category has the same time and location",
        "time-only": "a topic in the category has the same time",
      };
      return {
        ...base,
        kind: "adopt",
        reason: `adopt topic ${candidate.topicId}: ${why[candidate.match]}`,
        candidate,
        ...startsWith,
      };
    }
    if (event.status === "cancelled")
      return { ...base, kind: "skip", reason: "cancelled before it was ever imported" };
    return {
      ...base,
      kind: "create",
      reason: "new event",
      ...startsWith,
    };
  }
  const withRecord = { ...base, record };
  if (record.state === "removed") {
    return {
      ...withRecord,
      kind: "update",
      reason: "back in the feed after it had disappeared",
      restore: true,
    };
  }
  if (event.status === "cancelled") {
    if (record.state !== "cancelled")
      return { ...withRecord, kind: "cancel", reason: "cancelled in the feed" };
    if (record.renderHash !== rendered.hash) {
      return { ...withRecord, kind: "update", reason: "cancelled event changed", quiet: true };
    }
    return { ...withRecord, kind: "unchanged", reason: "still cancelled" };
  }
  if (record.state === "cancelled") {
    return { ...withRecord, kind: "update", reason: "no longer cancelled", restore: true };
  }
  if (record.renderHash === rendered.hash)
    return { ...withRecord, kind: "unchanged", reason: "nothing changed" };
  const loud = timeOrPlaceChanged(record.event, event);
  return {
    ...withRecord,
    kind: "update",
    reason: loud ? "time or place changed" : "details changed (quiet edit)",
    quiet: !loud,
  };
}

export function planSync(input: PlanInput): PlannedAction[] {
  const byKey = new Map(input.records.map((r) => [r.eventKey, r]));
  const facts = (input.candidates ?? []).map((c) => ({
    candidate: c,
    facts: readCandidate(c.raw, input.site.timezone, c.tags),
  }));
  const claimed = new Set<number>();
  const claim = (event: CalendarEvent, externalId: string): PlannedAction["candidate"] => {
    // the strongest evidence wins: an explicit marker before a time match
    const order: MatchReason[] = ["marker", "legacy", "time-and-location", "time-only"];
    let best: PlannedAction["candidate"];
    for (const { candidate, facts: f } of facts) {
      if (claimed.has(candidate.topicId)) continue;
      const match = matchCandidate(event, externalId, f, input.feed.adoption);
      if (match && (!best || order.indexOf(match) < order.indexOf(best.match)))
        best = { ...candidate, match };
    }
    if (best) claimed.add(best.topicId);
    return best;
  };

  const actions: PlannedAction[] = [];
  const seen = new Set<string>();
  // events matched by marker must claim their topic before a time match elsewhere can take it
  const ordered = [...input.events].sort((a, b) => Number(byKey.has(b.key)) - Number(byKey.has(a.key)));
  for (const event of ordered) {
    if (seen.has(event.key)) {
      actions.push({
        kind: "skip",
        eventKey: event.key,
        summary: event.summary,
        externalId: externalIdFor(input.site.id, input.feed.id, event.key),
        reason: "the feed lists this event twice; the first one is used",
      });
      continue;
    }
    seen.add(event.key);
    actions.push(planEvent(event, byKey.get(event.key), input, claim));
  }

  const removals: PlannedAction[] = [];
  const now = (input.now ?? new Date()).getTime();
  for (const record of input.records) {
    if (seen.has(record.eventKey) || record.state === "removed") continue;
    // events that moved out of the window are simply no longer in it, and feeds often drop events
    // that are over: only upcoming or running events count as removed
    if (!insideWindow(record.event, input.window) || spanMs(record.event.time).end < now) continue;
    removals.push({
      kind: "remove",
      eventKey: record.eventKey,
      summary: record.event.summary,
      externalId: record.externalId,
      record,
      removal: input.feed.removed,
      reason: `no longer in the feed (policy: ${input.feed.removed})`,
    });
  }
  const known = input.records.filter(
    (r) => r.state !== "removed" && insideWindow(r.event, input.window),
  ).length;
  const massive =
    removals.length > 0 &&
    (input.events.length === 0 ||
      (removals.length >= MASS_REMOVAL_MIN && removals.length > known * MASS_REMOVAL_SHARE));
  if (massive && !input.feed.allowMassRemoval) {
    for (const r of removals) {
      actions.push({
        ...r,
        kind: "skip",
        removal: undefined,
        held: true,
        reason: `not removed: the feed lost ${removals.length} of ${known} events at once (set allowMassRemoval to apply)`,
      });
    }
  } else {
    actions.push(...removals);
  }
  return actions;
}

export function summarizePlan(actions: readonly PlannedAction[]): Record<ActionKind, number> {
  const out: Record<ActionKind, number> = {
    create: 0,
    update: 0,
    adopt: 0,
    unchanged: 0,
    cancel: 0,
    remove: 0,
    skip: 0,
  };
  for (const a of actions) out[a.kind]++;
  return out;
}
