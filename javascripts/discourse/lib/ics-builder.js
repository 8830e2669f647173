import { buildVtimezone } from "./vtimezone";
import { pad, zonedParts } from "./zoned-time";

const PROD_ID = "//discourse-ics//add-to-calendar//EN";
const FILE_NAME_LIMIT = 60;

/*
 * ical-generator formats plain Dates in the browser's own zone when an event has a TZID. This
 * stand-in for a Luxon DateTime (one of the date types it accepts) formats in the event's zone.
 */
function instantInZone(epochMs) {
  const date = new Date(epochMs);
  return {
    isValid: true,
    zone: { type: "iana" },
    toJSDate: () => date,
    toJSON: () => date.toISOString(),
    setZone: (zone) => ({
      toFormat(format) {
        const p = zonedParts(zone, epochMs);
        return format === "HHmmss"
          ? `${pad(p.hour)}${pad(p.minute)}${pad(p.second)}`
          : `${p.year}${pad(p.month)}${pad(p.day)}`;
      },
    }),
  };
}

function utcMidnight(isoDay) {
  return new Date(`${isoDay}T00:00:00Z`);
}

function timing(event) {
  if (event.allDay) {
    return {
      allDay: true,
      start: utcMidnight(event.start),
      end: utcMidnight(event.end),
    };
  }
  const startMs = Date.parse(event.start);
  const endMs = Date.parse(event.end);
  // A series must repeat in its own zone to keep its wall-clock time across DST changes; a
  // single event is exact in UTC.
  if (event.rrule && event.timezone && event.timezone !== "UTC") {
    return {
      timezone: event.timezone,
      start: instantInZone(startMs),
      end: instantInZone(endMs),
    };
  }
  return { start: new Date(startMs), end: new Date(endMs) };
}

function description(event, topicUrl, linkLine) {
  return [event.description, topicUrl && linkLine ? linkLine(topicUrl) : null]
    .filter(Boolean)
    .join("\n\n");
}

/**
 * The iCalendar text for one event.
 * `ical` is ical-generator's default export, passed in so the generator is loaded only on demand.
 */
export function buildIcs(
  ical,
  event,
  {
    topicUrl,
    reminderMinutes = 0,
    reminderText,
    linkLine,
    now = new Date(),
  } = {}
) {
  const when = timing(event);
  const referenceYear = new Date(Date.parse(event.start)).getUTCFullYear();
  const calendar = ical({
    prodId: PROD_ID,
    timezone: when.timezone
      ? { name: null, generator: (zone) => buildVtimezone(zone, referenceYear) }
      : null,
  });
  const vevent = calendar.createEvent({
    id: event.uid,
    sequence: event.sequence ?? 0,
    stamp: now,
    summary: event.title,
    description: description(event, topicUrl, linkLine) || null,
    location: event.location || null,
    url: topicUrl || event.url || null,
    status: (event.status || "confirmed").toUpperCase(),
    repeating: event.rrule ? `RRULE:${event.rrule}` : null,
    ...when,
  });
  if (reminderMinutes > 0) {
    vevent.createAlarm({
      type: "display",
      // ical-generator reads a number as seconds before the start.
      trigger: reminderMinutes * 60,
      description: reminderText || event.title,
    });
  }
  return calendar.toString();
}

/** A download name made of the title's safe characters, e.g. "Board meeting: Q3" → "board-meeting-q3.ics". */
export function icsFileName(title) {
  const base = String(title ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]|\p{Cf}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, FILE_NAME_LIMIT)
    .replace(/-+$/g, "");
  return `${base || "event"}.ics`;
}
