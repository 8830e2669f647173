/**
 * Recurring calendar events as the plugin computes them: RRuleConfigurator's rule, RRuleGenerator's
 * string (DTSTART line + RRULE with INTERVAL and WKST), and the expansion into occurrences.
 */
import { DateTime } from "luxon";
import type { PostEvent } from "./model.ts";

const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

const zoneOf = (e: PostEvent): string => e.timezone ?? "UTC";

/**
 * RRuleConfigurator.rule with its quirks: every_two_weeks / every_four_weeks carry no BYDAY and end
 * in ";", and UNTIL is the local time of recurrence_until followed by a literal "Z".
 */
export function configuratorRule(e: PostEvent): string | null {
  if (!e.recurrence) return null;
  const start = DateTime.fromMillis(e.startsAt, { zone: zoneOf(e) });
  const day = WEEKDAYS[start.weekday - 1] as string;
  const rules: Record<string, string> = {
    every_day: "FREQ=DAILY",
    every_month: `FREQ=MONTHLY;BYDAY=${Math.ceil(start.day / 7)}${day}`,
    every_weekday: "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
    every_two_weeks: "FREQ=WEEKLY;INTERVAL=2;",
    every_four_weeks: "FREQ=WEEKLY;INTERVAL=4;",
  };
  const rule = rules[e.recurrence] ?? `FREQ=WEEKLY;BYDAY=${day}`;
  if (e.recurrenceUntil === null) return rule;
  const until = DateTime.fromMillis(e.recurrenceUntil, { zone: zoneOf(e) }).toFormat("yyyyLLdd'T'HHmmss");
  return `${rule};UNTIL=${until}Z`;
}

/**
 * RRuleGenerator.generate_string: the rule split into keys (Ruby drops a trailing empty segment but
 * keeps an inner one, which comes back as "="), INTERVAL defaulted to 1, WKST=MO, and a DTSTART line
 * in UTC, or floating local time when show_local_time.
 */
export function rruleString(e: PostEvent): string | null {
  const rule = configuratorRule(e);
  if (rule === null) return null;
  const parts = rule.replace(/;+$/, "").split(";");
  const keys = new Map<string, string>();
  for (const part of parts) {
    const [k = "", v = ""] = part === "" ? [] : part.split("=");
    keys.set(k, v);
  }
  if (!keys.has("INTERVAL")) keys.set("INTERVAL", "1");
  keys.set("WKST", "MO");
  const rrule = [...keys].map(([k, v]) => `${k}=${v}`).join(";");
  const start = DateTime.fromMillis(e.startsAt, { zone: e.showLocalTime ? zoneOf(e) : "UTC" });
  const dtstart = start.toFormat(e.showLocalTime ? "yyyyLLdd'T'HHmmss" : "yyyyLLdd'T'HHmmss'Z'");
  return `DTSTART:${dtstart}\nRRULE:${rrule}`;
}

/** Local start times of a recurring event, from its first occurrence, in order. */
function* localStarts(e: PostEvent): Generator<DateTime> {
  const first = DateTime.fromMillis(e.startsAt, { zone: zoneOf(e) });
  const nth = Math.ceil(first.day / 7);
  for (let i = 0; i < 5000; i++) {
    switch (e.recurrence) {
      case "every_day":
        yield first.plus({ days: i });
        break;
      case "every_weekday": {
        const d = first.plus({ days: i });
        if (d.weekday <= 5) yield d;
        break;
      }
      case "every_two_weeks":
        yield first.plus({ weeks: 2 * i });
        break;
      case "every_four_weeks":
        yield first.plus({ weeks: 4 * i });
        break;
      case "every_month": {
        const month = first.plus({ months: i }).startOf("month");
        const offset = (first.weekday - month.weekday + 7) % 7;
        const d = month.plus({ days: offset + 7 * (nth - 1) });
        if (d.month === month.month) {
          yield d.set({ hour: first.hour, minute: first.minute, second: first.second });
        }
        break;
      }
      default:
        yield first.plus({ weeks: i });
    }
  }
}

/** Occurrences (epoch ms) overlapping [after, before], at most `limit`, as ExpandOccurrences returns them. */
export function expandOccurrences(
  e: PostEvent,
  after: number,
  before: number | null,
  limit: number,
): Array<{ startsAt: number; endsAt: number | null }> {
  const length = e.endsAt === null ? null : e.endsAt - e.startsAt;
  if (!e.recurrence) return [{ startsAt: e.startsAt, endsAt: e.endsAt }];
  const out: Array<{ startsAt: number; endsAt: number | null }> = [];
  for (const local of localStarts(e)) {
    const startsAt = local.toMillis();
    if (e.recurrenceUntil !== null && startsAt > e.recurrenceUntil) break;
    if (before !== null && startsAt > before) break;
    const endsAt = length === null ? null : startsAt + length;
    if ((endsAt ?? startsAt) < after) continue;
    out.push({ startsAt, endsAt });
    if (out.length >= limit) break;
  }
  return out;
}
