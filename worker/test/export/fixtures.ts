/** Small builders for export tests: records as the sync engine stores them, and export configs. */
import type { CalendarEvent } from "../../src/core/event.ts";
import type { ExportConfig } from "../../src/core/feed.ts";
import type { ImportedEventRecord } from "../../src/core/imported-event.ts";

export function timedEvent(uid: string, start: string, end: string, timezone: string): CalendarEvent {
  return {
    key: uid,
    uid,
    summary: `Event ${uid}`,
    description: "",
    status: "confirmed",
    sequence: 0,
    categories: [],
    time: { kind: "timed", start, end, timezone },
  };
}

export function allDayEvent(uid: string, startDate: string, endDate: string): CalendarEvent {
  return {
    key: uid,
    uid,
    summary: `Day ${uid}`,
    description: "",
    status: "confirmed",
    sequence: 0,
    categories: [],
    time: { kind: "allDay", startDate, endDate },
  };
}

let nextTopic = 100;

export function record(event: CalendarEvent, over: Partial<ImportedEventRecord> = {}): ImportedEventRecord {
  const topicId = nextTopic++;
  return {
    feedId: "feed-a",
    siteId: "forum",
    eventKey: event.key,
    externalId: `dics-${topicId}`,
    topicId,
    postId: topicId * 10,
    categoryId: 3,
    renderHash: "h",
    revision: 1,
    event,
    state: "active",
    updatedAt: "2026-01-15T12:00:00.000Z",
    ...over,
  };
}

export function exportConfig(over: Partial<ExportConfig> = {}): ExportConfig {
  return {
    name: "events",
    siteId: "forum",
    title: "Forum events",
    description: "Everything on the forum's calendar",
    categoryIds: [],
    includeSubcategories: true,
    tags: [],
    includeCalendarPlugin: true,
    refreshMinutes: 60,
    ...over,
  };
}

/** Unfolded content lines of an iCalendar text. */
export function contentLines(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, "").split("\r\n");
}
