/**
 * The calendar plugin's recurrence names as RRULEs, for plugin builds whose events.json gives only
 * `recurrence` (the mapping the plugin's rrule_configurator uses: weekly rules repeat the start's
 * weekday, monthly ones its nth weekday).
 */
import { DateTime } from "luxon";
import { zoneOf } from "./wall-time.ts";

const DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

export function rruleFromRecurrence(
  recurrence: string | null | undefined,
  startsAt: string,
  timezone: string | null | undefined,
  until: string | null | undefined,
): string | undefined {
  if (!recurrence) return undefined;
  const start = DateTime.fromISO(startsAt, { zone: zoneOf(timezone ?? "UTC") ?? "UTC" });
  if (!start.isValid) return undefined;
  const day = DAYS[start.weekday - 1]!;
  const nth = Math.ceil(start.day / 7);
  const rules: Record<string, string> = {
    every_day: "FREQ=DAILY",
    every_weekday: "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
    every_week: `FREQ=WEEKLY;BYDAY=${day}`,
    every_two_weeks: `FREQ=WEEKLY;INTERVAL=2;BYDAY=${day}`,
    every_four_weeks: `FREQ=WEEKLY;INTERVAL=4;BYDAY=${day}`,
    every_month: `FREQ=MONTHLY;BYDAY=${nth}${day}`,
  };
  const rule = rules[recurrence];
  if (!rule) return undefined;
  const end = until ? DateTime.fromISO(until, { zone: "UTC" }) : null;
  return end?.isValid ? `${rule};UNTIL=${end.toFormat("yyyyLLdd'T'HHmmss'Z'")}` : rule;
}
