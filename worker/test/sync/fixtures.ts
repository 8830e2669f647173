import type { CalendarEvent } from "../../src/core/event.ts";
import type { FeedConfig, SiteConfig } from "../../src/core/feed.ts";

export function timedEvent(over: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    key: "evt-1@example.org",
    uid: "evt-1@example.org",
    summary: "Community meetup",
    description: "Bring a friend.",
    location: "Town hall, Room 2",
    url: "https://example.org/meetup",
    status: "confirmed",
    sequence: 0,
    categories: [],
    time: {
      kind: "timed",
      start: "2026-03-29T08:00:00.000Z",
      end: "2026-03-29T10:00:00.000Z",
      timezone: "Europe/Berlin",
    },
    ...over,
  };
}

export function allDayEvent(over: Partial<CalendarEvent> = {}): CalendarEvent {
  return timedEvent({
    key: "day-1@example.org",
    uid: "day-1@example.org",
    summary: "Spring fair",
    time: { kind: "allDay", startDate: "2026-04-10", endDate: "2026-04-12" },
    ...over,
  });
}

export function site(over: Partial<SiteConfig> = {}): SiteConfig {
  return {
    id: "forum",
    baseUrl: "http://127.0.0.1:1",
    apiUsername: "system",
    apiKey: "secret-key",
    requestsPerMinute: 60,
    timezone: "Europe/Berlin",
    calendarPlugin: false,
    ...over,
  };
}

export function feed(over: Partial<FeedConfig> = {}): FeedConfig {
  return {
    id: "community",
    name: "Community events",
    source: { url: "file:///dev/null" },
    siteId: "forum",
    categoryId: 3,
    tags: ["Events", "community"],
    window: { pastDays: 30, futureDays: 365 },
    schedule: { everySeconds: 900 },
    titleTemplate: "{summary} ({date})",
    cancelled: "note",
    removed: "close",
    adoption: "time-and-location",
    allowMassRemoval: false,
    ...over,
  };
}
