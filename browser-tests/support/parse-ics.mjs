// Runs in Node (a Vitest browser command): parses iCalendar text with node-ical, an independent
// reader, and returns plain JSON the browser-side test can compare with the source event.
import ical from "node-ical";

function iso(value) {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}

function text(value) {
  return typeof value === "object" && value !== null
    ? value.val
    : (value ?? null);
}

export function summarize(icsText, { from, to } = {}) {
  const parsed = ical.sync.parseICS(icsText);
  return Object.values(parsed)
    .filter((component) => component.type === "VEVENT")
    .map((event) => ({
      uid: event.uid,
      summary: text(event.summary),
      description: text(event.description),
      location: text(event.location),
      url: text(event.url),
      status: event.status ?? null,
      sequence: event.sequence === undefined ? null : Number(event.sequence),
      start: iso(event.start),
      end: iso(event.end),
      dateOnly: event.datetype === "date",
      startTz: event.start?.tz ?? null,
      rrule: event.rrule ? event.rrule.toString() : null,
      alarms: (event.alarms ?? []).map((alarm) => String(alarm.trigger)),
      occurrences:
        from && to
          ? ical
              .expandRecurringEvent(event, {
                from: new Date(from),
                to: new Date(to),
              })
              .map((instance) => iso(instance.start))
          : [],
    }));
}

export function parseIcs(_context, icsText, window) {
  return summarize(icsText, window);
}
