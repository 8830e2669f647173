import type { EventSpan } from "./event.ts";

/**
 * An event's start and end as epoch milliseconds. All-day dates count from midnight UTC, which is how
 * the sync window, exports' date windows and the demo's clock compare them with instants.
 */
export function spanMs(time: EventSpan): { start: number; end: number } {
  if (time.kind === "allDay") {
    return { start: Date.parse(`${time.startDate}T00:00:00Z`), end: Date.parse(`${time.endDate}T00:00:00Z`) };
  }
  return { start: Date.parse(time.start), end: Date.parse(time.end) };
}
