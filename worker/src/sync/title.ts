/**
 * Topic titles: rendered from the feed's template, shaped to pass Discourse's title validations
 * (length 15..255, entropy, no over-long words, at most one emoji) and pre-cleaned with the same
 * rules as Discourse's TextCleaner.clean_title so the stored title equals what was sent.
 */
import { createHash } from "node:crypto";
import { DateTime } from "luxon";
import type { CalendarEvent } from "../core/event.ts";
import { plainLine } from "./text-safety.ts";

export const DEFAULT_TITLE_TEMPLATE = "{summary} ({date})";
export const MIN_TITLE_LENGTH = 15;
export const MAX_TITLE_LENGTH = 255;
const MAX_WORD_LENGTH = 30;
const MIN_ENTROPY = 10;

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
const EMOJI = /\p{Extended_Pictographic}/gu;

/** Discourse's title_prettify rules (TextCleaner.clean with the title options, English locale). */
export function prettifyTitle(title: string): string {
  let t = title
    .replace(ZERO_WIDTH, "")
    .replace(/[\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g, " ");
  t = t.replace(/!+/g, "!").replace(/\?+/g, "?");
  if (/\p{L}/u.test(t) && t.toUpperCase() === t) t = t.toLowerCase();
  t = t.replace(/^(\s*)(\p{Ll})/u, (_m, sp: string, c: string) => sp + c.toUpperCase());
  t = t.replace(/([^.])\.+(\s*)$/u, "$1$2");
  t = t.replace(/\s+([!?]\s*)$/u, "$1").replace(/ {2,}/g, " ");
  return t.trim();
}

/** Two titles are the same topic title if Discourse would store them identically (case-insensitive). */
export function sameTitle(a: string, b: string): boolean {
  return prettifyTitle(a).toLowerCase() === prettifyTitle(b).toLowerCase();
}

export interface TitleContext {
  template: string;
  /** Zone dates in the title are shown in (the site's). */
  siteTimezone: string;
  feedName?: string;
}

export function eventDate(event: CalendarEvent, zone: string): DateTime {
  if (event.time.kind === "allDay") return DateTime.fromISO(event.time.startDate, { zone: "UTC" });
  return DateTime.fromISO(event.time.start, { zone: "UTC" }).setZone(zone);
}

function cleanSummary(summary: string): string {
  let s = plainLine(summary).replace(ZERO_WIDTH, "");
  // emoji shortcodes would count against max_emojis_in_title; keep the word
  s = s.replace(/:([\w+-]+):/g, "$1");
  let emojis = 0;
  s = s.replace(EMOJI, (e) => (++emojis > 1 ? "" : e));
  // Discourse rejects titles with an alphanumeric run longer than 30 characters
  s = s.replace(new RegExp(`[\\p{L}\\p{N}]{${MAX_WORD_LENGTH + 1},}`, "gu"), (run) =>
    (run.match(new RegExp(`.{1,${MAX_WORD_LENGTH}}`, "gu")) ?? [run]).join(" "),
  );
  return s.replace(/ {2,}/g, " ").trim();
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => values[name] ?? m);
}

function entropy(text: string): number {
  return new Set(Buffer.from(text.trim(), "utf8")).size;
}

/** The title a new topic for this event gets. Never changed afterwards. */
export function renderTitle(event: CalendarEvent, ctx: TitleContext): string {
  const start = eventDate(event, ctx.siteTimezone);
  const date = start.setLocale("en").toFormat("ccc d LLL yyyy");
  const time = event.time.kind === "allDay" ? "" : start.setLocale("en").toFormat("HH:mm");
  const summary = cleanSummary(event.summary) || "Event";
  const values: Record<string, string> = {
    date,
    time,
    location: cleanSummary(event.location ?? ""),
    feed: cleanSummary(ctx.feedName ?? ""),
  };
  const template = ctx.template.trim() || DEFAULT_TITLE_TEMPLATE;
  const withoutSummary = fill(template.replace(/\{summary\}/g, ""), values);
  const room = Math.max(10, MAX_TITLE_LENGTH - withoutSummary.length - 1);
  const fitted = summary.length > room ? summary.slice(0, room - 1).trimEnd() + "\u2026" : summary;
  let title = prettifyTitle(fill(template, { ...values, summary: fitted }).replace(/\(\s*\)/g, ""));
  if (title.length < MIN_TITLE_LENGTH || entropy(title) < MIN_ENTROPY || !/[\p{L}\p{N}]/u.test(title)) {
    title = prettifyTitle(`${title} \u2013 ${date}${time ? " " + time : ""}`);
  }
  if (title.length < MIN_TITLE_LENGTH) title = prettifyTitle(`${title} (event)`);
  return [...title].slice(0, MAX_TITLE_LENGTH).join("").trim();
}

/**
 * A title that differs from one Discourse refused as already used: first the start time, then a short
 * code derived from the event key, which separates even identical events at the same time.
 */
export function disambiguateTitle(
  title: string,
  attempt: number,
  event: CalendarEvent,
  siteTimezone: string,
): string {
  const start = eventDate(event, siteTimezone);
  const code = createHash("sha256")
    .update(event.key)
    .digest("hex")
    .slice(0, 4 + attempt);
  const suffix =
    attempt === 1 && event.time.kind === "timed"
      ? ` ${start.setLocale("en").toFormat("HH:mm")}`
      : ` #${code}`;
  const base = [...title].slice(0, MAX_TITLE_LENGTH - suffix.length).join("");
  return prettifyTitle(base + suffix);
}
