/**
 * Which job schedulers to create, update or remove so that exactly one exists per configured feed with
 * the feed's schedule. Pure: the adapter in scheduler.ts reads BullMQ's schedulers and applies the plan.
 */
import type { FeedConfig } from "../core/feed.ts";
import { feedIdOfScheduler, schedulerId } from "./keys.ts";
import { repeatOptions } from "./schedule.ts";

export interface ExistingScheduler {
  key: string;
  every?: number | null;
  pattern?: string | null;
  tz?: string | null;
}

export interface SchedulerPlan {
  upsert: FeedConfig[];
  remove: string[];
}

export function planSchedulers(existing: ExistingScheduler[], feeds: FeedConfig[]): SchedulerPlan {
  const byKey = new Map(existing.map((s) => [s.key, s]));
  const wanted = new Set(feeds.map((f) => schedulerId(f.id)));
  const upsert = feeds.filter((f) => {
    const current = byKey.get(schedulerId(f.id));
    return !current || !sameSchedule(current, f);
  });
  const remove = existing
    .filter((s) => feedIdOfScheduler(s.key) !== undefined && !wanted.has(s.key))
    .map((s) => s.key);
  return { upsert, remove };
}

function sameSchedule(s: ExistingScheduler, feed: FeedConfig): boolean {
  const want = repeatOptions(feed.schedule, feed.timezone);
  if ("every" in want) return Number(s.every) === want.every && !s.pattern;
  return s.pattern === want.pattern && (s.tz ?? undefined) === want.tz;
}
