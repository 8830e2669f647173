/**
 * Feed schedules: "15m"-style intervals, plain seconds, or cron expressions. Pure helpers shared by the
 * config schema (validation), the scheduler (BullMQ repeat options) and the status document (typical gap).
 */
import { CronExpressionParser } from "cron-parser";
import type { FeedConfig } from "../core/feed.ts";

export type Schedule = FeedConfig["schedule"];

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const MIN_INTERVAL_SECONDS = 60;

/** Parses "90", 90, "15m", "2h", "1d" or a 5/6-field cron expression; returns an error sentence otherwise. */
export function parseSchedule(input: string | number): Schedule | { error: string } {
  if (typeof input === "number" || /^\d+$/.test(input.trim())) {
    return checkInterval(Number(input));
  }
  const text = input.trim();
  const interval = /^(\d+)\s*([smhd])$/.exec(text);
  if (interval) return checkInterval(Number(interval[1]) * (UNIT_SECONDS[interval[2]!] ?? 1));
  const fields = text.split(/\s+/);
  if (fields.length === 5 || fields.length === 6) {
    try {
      CronExpressionParser.parse(text);
      return { cron: text };
    } catch (err) {
      return { error: `invalid cron expression "${text}": ${(err as Error).message}` };
    }
  }
  return {
    error: `expected an interval like "15m", "1h" or a number of seconds, or a cron expression like "*/15 * * * *"; got "${text}"`,
  };
}

function checkInterval(seconds: number): Schedule | { error: string } {
  if (!Number.isFinite(seconds) || seconds < MIN_INTERVAL_SECONDS) {
    return { error: `interval must be at least ${MIN_INTERVAL_SECONDS} seconds; got ${seconds}` };
  }
  return { everySeconds: seconds };
}

/** Seconds between runs; for cron schedules, the gap between the next two runs after `from`. */
export function typicalIntervalSeconds(schedule: Schedule, timezone?: string, from = new Date()): number {
  if ("everySeconds" in schedule) return schedule.everySeconds;
  const expr = CronExpressionParser.parse(schedule.cron, {
    currentDate: from,
    tz: timezone ?? "UTC",
  });
  const a = expr.next().getTime();
  const b = expr.next().getTime();
  return Math.round((b - a) / 1000);
}

/** BullMQ repeat options for a schedule. */
export function repeatOptions(
  schedule: Schedule,
  timezone?: string,
): { every: number } | { pattern: string; tz: string } {
  if ("everySeconds" in schedule) return { every: schedule.everySeconds * 1000 };
  // Without an explicit zone cron would follow the host's local time; UTC keeps every host in step.
  return { pattern: schedule.cron, tz: timezone ?? "UTC" };
}
