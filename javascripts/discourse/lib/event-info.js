import { isValidTimeZone, wallTimeToEpoch } from "./zoned-time";

/**
 * One plain event shape for every source the theme reads:
 * {
 *   source: "worker" | "calendar-plugin",
 *   uid, title, allDay,
 *   start, end,   // timed: UTC ISO instants; all-day: "YYYY-MM-DD", end exclusive
 *   timezone,     // IANA zone the event was written in, or null
 *   location, url, description, status ("confirmed" | "tentative" | "cancelled"),
 *   sequence, rrule // RRULE value without the "RRULE:" prefix, or null
 * }
 */

const STATUSES = ["confirmed", "tentative", "cancelled"];
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const MAX_TEXT = 1000;

function text(value, max = MAX_TEXT) {
  if (value === undefined || value === null) {
    return null;
  }
  const cleaned = String(value)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .trim();
  return cleaned ? cleaned.slice(0, max) : null;
}

function httpUrl(value) {
  const candidate = text(value, 2000);
  if (!candidate) {
    return null;
  }
  try {
    const url = new URL(candidate);
    return url.protocol === "https:" || url.protocol === "http:"
      ? url.href
      : null;
  } catch {
    return null;
  }
}

function isoInstant(value) {
  const candidate = text(value, 64);
  if (!candidate || !/[zZ]|[+-]\d{2}:?\d{2}$/.test(candidate)) {
    return null;
  }
  const epoch = Date.parse(candidate);
  return Number.isNaN(epoch) ? null : new Date(epoch).toISOString();
}

function isoDate(value) {
  const candidate = text(value, 64);
  const match = candidate && DATE_ONLY.exec(candidate);
  if (!match) {
    return null;
  }
  const date = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
  return date.toISOString().slice(0, 10) === candidate ? candidate : null;
}

export function addDays(isoDay, days) {
  const date = new Date(`${isoDay}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function zoneOrNull(value) {
  const zone = text(value, 64);
  return zone && isValidTimeZone(zone) ? zone : null;
}

export function normalizeRrule(value) {
  const lines = String(value ?? "").split(/\r?\n/);
  // Some producers send "DTSTART:…" and "RRULE:…" as two lines.
  const rule = text(lines.find((line) => /^RRULE:/i.test(line)) ?? value, 500);
  if (!rule) {
    return null;
  }
  const parts = rule
    .replace(/^RRULE:/i, "")
    .split(";")
    .map((part) => part.trim().toUpperCase())
    .filter(Boolean);
  if (!parts.some((part) => /^FREQ=[A-Z]+$/.test(part))) {
    return null;
  }
  if (!parts.every((part) => /^[A-Z-]+=[A-Z0-9,+\-:]+$/.test(part))) {
    return null;
  }
  return parts.join(";");
}

function withTimedDefaults(event, start, end) {
  const startMs = Date.parse(start);
  const endMs = end ? Date.parse(end) : NaN;
  return {
    ...event,
    allDay: false,
    start,
    end:
      endMs > startMs ? end : new Date(startMs + 60 * 60 * 1000).toISOString(),
  };
}

function withAllDayDefaults(event, startDate, endDate) {
  return {
    ...event,
    allDay: true,
    start: startDate,
    end: endDate && endDate > startDate ? endDate : addDays(startDate, 1),
    timezone: null,
  };
}

/** The `data-ics-*` attributes the worker writes into the first post (as a dataset-like object). */
export function eventFromWorkerDataset(dataset, { fallbackTitle } = {}) {
  if (!dataset || dataset.icsEvent === undefined) {
    return null;
  }
  const uid = text(dataset.icsUid, 500);
  const key = text(dataset.icsKey, 600);
  const rrule = normalizeRrule(dataset.icsRrule);
  const base = {
    source: "worker",
    // A lone moved or extra occurrence keeps the series UID plus its own start, so adding it
    // never replaces the whole series in the reader's calendar.
    uid: key && uid && key !== uid && !rrule ? key : uid || key,
    title: text(dataset.icsSummary, 255) || text(fallbackTitle, 255),
    timezone: zoneOrNull(dataset.icsTimezone),
    location: text(dataset.icsLocation),
    url: httpUrl(dataset.icsUrl),
    description: null,
    status: STATUSES.includes(dataset.icsStatus)
      ? dataset.icsStatus
      : "confirmed",
    sequence: Math.max(0, parseInt(dataset.icsSequence, 10) || 0),
    rrule,
  };
  if (!base.title) {
    return null;
  }
  if (dataset.icsAllDay === "true") {
    const startDate = isoDate(dataset.icsStart);
    return startDate
      ? withAllDayDefaults(base, startDate, isoDate(dataset.icsEnd))
      : null;
  }
  const start = isoInstant(dataset.icsStart);
  return start
    ? withTimedDefaults(base, start, isoInstant(dataset.icsEnd))
    : null;
}

function pluginUid(id, host) {
  return `discourse-post-event-${id}@${host || "discourse"}`;
}

/** `post.event` as the calendar plugin serializes it (also the endpoint's `event`). */
export function eventFromPostEvent(postEvent, { fallbackTitle, host } = {}) {
  if (!postEvent || !postEvent.starts_at) {
    return null;
  }
  const timezone = zoneOrNull(postEvent.timezone);
  const base = {
    source: "calendar-plugin",
    uid: pluginUid(postEvent.id, host),
    title: text(postEvent.name, 255) || text(fallbackTitle, 255),
    timezone,
    location: text(postEvent.location),
    url: httpUrl(postEvent.url),
    description: text(postEvent.description),
    // The plugin's own "status" is who may see the event (public/private/standalone).
    status: "confirmed",
    sequence: 0,
    rrule: normalizeRrule(postEvent.recurrence_rule ?? postEvent.rrule),
  };
  if (!base.title) {
    return null;
  }
  const start = isoInstant(postEvent.starts_at);
  if (!start) {
    return null;
  }
  if (postEvent.all_day) {
    const zone = timezone || "UTC";
    const startDate = localDate(start, zone);
    const end = isoInstant(postEvent.ends_at);
    // The plugin stores an all-day end as the end of its last day.
    const endDate = end ? addDays(localDate(end, zone), 1) : null;
    return withAllDayDefaults(base, startDate, endDate);
  }
  return withTimedDefaults(base, start, isoInstant(postEvent.ends_at));
}

function localDate(instant, zone) {
  const epoch = Date.parse(instant);
  const formatted = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(epoch));
  return formatted;
}

const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

/** The plugin's named recurrences, as its own RRULE configurator spells them. */
export function pluginRecurrenceRule(recurrence, startInstant, zone, until) {
  const local = new Date(`${localDate(startInstant, zone)}T00:00:00Z`);
  const weekday = WEEKDAYS[local.getUTCDay()];
  const nth = Math.ceil(local.getUTCDate() / 7);
  const rules = {
    every_day: "FREQ=DAILY",
    every_weekday: "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
    every_week: `FREQ=WEEKLY;BYDAY=${weekday}`,
    every_two_weeks: "FREQ=WEEKLY;INTERVAL=2",
    every_four_weeks: "FREQ=WEEKLY;INTERVAL=4",
    every_month: `FREQ=MONTHLY;BYDAY=${nth === 5 ? -1 : nth}${weekday}`,
  };
  const rule = rules[recurrence];
  if (!rule) {
    return null;
  }
  const untilStamp = until
    ? until.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")
    : null;
  return untilStamp ? `${rule};UNTIL=${untilStamp}` : rule;
}

function pluginDateTime(value, zone) {
  const raw = text(value, 64);
  if (!raw) {
    return null;
  }
  const instant = isoInstant(raw);
  if (instant) {
    return { instant };
  }
  const dateOnly = isoDate(raw);
  if (dateOnly) {
    return { date: dateOnly };
  }
  const match = LOCAL_DATE_TIME.exec(raw);
  if (!match) {
    return null;
  }
  const epoch = wallTimeToEpoch(zone, {
    year: +match[1],
    month: +match[2],
    day: +match[3],
    hour: +match[4],
    minute: +match[5],
    second: +(match[6] ?? 0),
  });
  return Number.isNaN(epoch)
    ? null
    : { instant: new Date(epoch).toISOString() };
}

/**
 * The `.discourse-post-event` element's dataset: the author's raw BBCode values, read in
 * `data-timezone` (UTC when absent), used when neither `post.event` nor the endpoint answered.
 */
export function eventFromPluginDataset(
  dataset,
  { fallbackTitle, postId, host } = {}
) {
  if (!dataset || !dataset.start) {
    return null;
  }
  const timezone = zoneOrNull(dataset.timezone);
  const zone = timezone || "UTC";
  const base = {
    source: "calendar-plugin",
    uid: pluginUid(postId ?? "unknown", host),
    title: text(dataset.name, 255) || text(fallbackTitle, 255),
    timezone,
    location: text(dataset.location),
    url: httpUrl(dataset.url),
    description: null,
    status: "confirmed",
    sequence: 0,
    rrule: null,
  };
  if (!base.title) {
    return null;
  }
  const start = pluginDateTime(dataset.start, zone);
  const end = pluginDateTime(dataset.end, zone);
  if (!start) {
    return null;
  }
  if (dataset.allDay === "true" || start.date) {
    const startDate = start.date ?? localDate(start.instant, zone);
    const endDay = end && (end.date ?? localDate(end.instant, zone));
    return withAllDayDefaults(
      base,
      startDate,
      endDay ? addDays(endDay, 1) : null
    );
  }
  const until = pluginDateTime(dataset.recurrenceUntil, zone);
  const rrule = dataset.recurrence
    ? pluginRecurrenceRule(
        dataset.recurrence,
        start.instant,
        zone,
        until?.instant ?? null
      )
    : null;
  return withTimedDefaults(
    { ...base, rrule },
    start.instant,
    end?.instant ?? null
  );
}
