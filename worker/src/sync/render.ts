/**
 * Renders one event into the managed block of a topic's first post. The block is everything the
 * sync engine owns in the post; its hash decides whether Discourse needs an update.
 */
import { DateTime } from "luxon";
import type { AllDaySpan, CalendarEvent } from "../core/event.ts";
import { legacyUidHash, sha256Hex } from "./identity.ts";
import {
  bbcodeAttributeValue,
  escapeHtmlAttribute,
  escapeMarkdownBlock,
  escapeMarkdownLine,
  plainLine,
  plainText,
  safeUrl,
  truncate,
} from "./text-safety.ts";

export const MAX_POST_LENGTH = 32000;
const MAX_DESCRIPTION_CHARS = 8000;

export interface RenderContext {
  externalId: string;
  siteTimezone: string;
  calendarPlugin: boolean;
  /** Characters of the post already taken by text outside the block. */
  reservedLength?: number;
}

export interface RenderedEvent {
  block: string;
  hash: string;
}

const BEGIN_PREFIX = "<!-- discourse-ics:begin";
const END_MARKER = "<!-- discourse-ics:end -->";

function beginMarker(ctx: RenderContext, event: CalendarEvent): string {
  return `${BEGIN_PREFIX} ext=${ctx.externalId} key=${encodeURIComponent(event.key)} -->`;
}

/** Converts an all-day exclusive end into the last day of the event. */
function lastDay(time: AllDaySpan): string {
  const end = DateTime.fromISO(time.endDate, { zone: "UTC" }).minus({ days: 1 });
  return end.toISODate()! > time.startDate ? end.toISODate()! : time.startDate;
}

function eventBbcode(event: CalendarEvent): string {
  const attrs: [string, string][] = [];
  if (event.time.kind === "allDay") {
    attrs.push(["start", event.time.startDate], ["end", lastDay(event.time)], ["allDay", "true"]);
  } else {
    const zone = event.time.timezone;
    const fmt = (iso: string) =>
      DateTime.fromISO(iso, { zone: "UTC" }).setZone(zone).toFormat("yyyy-MM-dd HH:mm");
    attrs.push(["start", fmt(event.time.start)]);
    if (event.time.end !== event.time.start) attrs.push(["end", fmt(event.time.end)]);
    attrs.push(["timezone", zone]);
  }
  attrs.push(["status", "public"]);
  const name = bbcodeAttributeValue(event.summary).slice(0, 255);
  if ([...name].length >= 5) attrs.push(["name", name]);
  const location = bbcodeAttributeValue(event.location ?? "");
  if (location) attrs.push(["location", location.slice(0, 1000)]);
  const url = safeUrl(event.url);
  if (url) attrs.push(["url", url]);
  return `[event ${attrs.map(([k, v]) => `${k}="${v}"`).join(" ")}]\n[/event]`;
}

function localDate(iso: string, zone: string): string {
  const dt = DateTime.fromISO(iso, { zone: "UTC" }).setZone(zone);
  return `[date=${dt.toFormat("yyyy-MM-dd")} time=${dt.toFormat("HH:mm:ss")} timezone="${zone}"]`;
}

function whenLines(event: CalendarEvent, siteTimezone: string): string[] {
  if (event.time.kind === "allDay") {
    const last = lastDay(event.time);
    const fmt = (d: string) =>
      DateTime.fromISO(d, { zone: "UTC" }).setLocale("en").toFormat("cccc d LLLL yyyy");
    const range =
      last === event.time.startDate ? fmt(last) : `${fmt(event.time.startDate)} \u2013 ${fmt(last)}`;
    return [`**When:** ${range} (all day)`];
  }
  const { start, end, timezone } = event.time;
  const local =
    end !== start
      ? `${localDate(start, timezone)} \u2192 ${localDate(end, timezone)}`
      : localDate(start, timezone);
  const s = DateTime.fromISO(start, { zone: "UTC" }).setZone(siteTimezone).setLocale("en");
  const e = DateTime.fromISO(end, { zone: "UTC" }).setZone(siteTimezone).setLocale("en");
  const sameDay = s.toISODate() === e.toISODate();
  const site =
    end === start
      ? s.toFormat("ccc d LLL yyyy, HH:mm")
      : `${s.toFormat("ccc d LLL yyyy, HH:mm")}\u2013${sameDay ? e.toFormat("HH:mm") : e.toFormat("ccc d LLL yyyy, HH:mm")}`;
  return [`**When:** ${local}`, `(${site} ${escapeMarkdownLine(siteTimezone)})`];
}

function dataDiv(event: CalendarEvent): string {
  const attrs: [string, string | undefined][] = [
    ["event", "1"],
    ["uid", event.uid],
    ["key", event.key],
    ["start", event.time.kind === "allDay" ? event.time.startDate : event.time.start],
    ["end", event.time.kind === "allDay" ? event.time.endDate : event.time.end],
    ["timezone", event.time.kind === "timed" ? event.time.timezone : undefined],
    ["all-day", event.time.kind === "allDay" ? "true" : "false"],
    ["summary", plainLine(event.summary).slice(0, 500)],
    ["location", plainLine(event.location ?? "").slice(0, 500)],
    ["url", safeUrl(event.url)],
    ["status", event.status],
    ["sequence", String(event.sequence)],
    ["rrule", event.rrule ? plainLine(event.rrule) : undefined],
  ];
  const html = attrs
    .filter((a): a is [string, string] => a[1] !== undefined && a[1] !== "")
    .map(([k, v]) => `data-ics-${k}="${escapeHtmlAttribute(v)}"`)
    .join(" ");
  return `<div ${html}></div>`;
}

function assemble(event: CalendarEvent, ctx: RenderContext, description: string): string {
  const parts: string[] = [beginMarker(ctx, event), `<!-- ICSUID:${legacyUidHash(event.uid)} -->`];
  if (ctx.calendarPlugin) parts.push(eventBbcode(event), "");
  if (event.status === "cancelled") parts.push("**This event has been cancelled.**", "");
  else if (event.status === "tentative") parts.push("*Tentative: this event is not confirmed yet.*", "");
  parts.push(`### ${escapeMarkdownLine(event.summary) || "Event"}`, "");
  parts.push(whenLines(event, ctx.siteTimezone).join("  \n"));
  const location = escapeMarkdownLine(event.location ?? "");
  if (location) parts.push("", `**Where:** ${location}`);
  const url = safeUrl(event.url);
  if (url) parts.push("", `**Link:** <${url}>`);
  if (description) parts.push("", escapeMarkdownBlock(description));
  parts.push("", dataDiv(event), END_MARKER);
  return parts.join("\n");
}

export function renderEventBlock(event: CalendarEvent, ctx: RenderContext): RenderedEvent {
  const budget = MAX_POST_LENGTH - (ctx.reservedLength ?? 0) - 4;
  let description = truncate(plainText(event.description), MAX_DESCRIPTION_CHARS);
  let block = assemble(event, ctx, description);
  while (block.length > budget && description.length > 0) {
    const over = block.length - budget;
    description =
      description.length > over + 50 ? truncate(description, Math.floor(description.length - over - 50)) : "";
    block = assemble(event, ctx, description);
  }
  return { block, hash: sha256Hex(block) };
}

const BLOCK_RE = /<!-- discourse-ics:begin[^\n]*?-->[\s\S]*?<!-- discourse-ics:end -->/;
const LEGACY_RE = /<!--\s*ICSUID:([0-9a-f]{16})\s*-->\s*(?:\[event[^\]]*\][\s\S]*?\[\/event\])?/;
const HUMAN_EVENT_RE = /\[event\s[^\]]*\][\s\S]*?\[\/event\]/;

/** The managed block in a post, if the post has one. */
export function extractBlock(raw: string): string | undefined {
  return BLOCK_RE.exec(raw)?.[0];
}

/** external_id and event key written in a managed block's begin marker. */
export function readBlockIdentity(raw: string): { externalId: string; eventKey: string } | undefined {
  const m = /<!-- discourse-ics:begin ext=([A-Za-z0-9_-]+) key=(\S*) -->/.exec(raw);
  if (!m) return undefined;
  try {
    return { externalId: m[1]!, eventKey: decodeURIComponent(m[2]!) };
  } catch {
    return undefined;
  }
}

/**
 * The post with its managed block replaced by `block`. Text outside the block is kept as it is. A
 * post without a block (adopted from a person or from the Python importer) has its calendar-plugin
 * event (only one is allowed per post) or legacy marker replaced, or gets the block on top.
 */
export function composeRaw(existingRaw: string | undefined, block: string): string {
  if (!existingRaw || !existingRaw.trim()) return block;
  if (BLOCK_RE.test(existingRaw)) return existingRaw.replace(BLOCK_RE, () => block);
  if (LEGACY_RE.test(existingRaw)) return existingRaw.replace(LEGACY_RE, () => block);
  if (HUMAN_EVENT_RE.test(existingRaw)) return existingRaw.replace(HUMAN_EVENT_RE, () => block);
  return `${block}\n\n${existingRaw}`;
}

/** Length of the text in a post that lies outside its managed block. */
export function humanTextLength(existingRaw: string | undefined): number {
  if (!existingRaw) return 0;
  const block = extractBlock(existingRaw);
  return existingRaw.length - (block?.length ?? 0);
}
