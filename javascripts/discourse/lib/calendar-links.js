import { addDays } from "./event-info";

export const CALENDAR_LINK_KINDS = ["google", "outlook", "office365", "yahoo"];

const DESCRIPTION_LIMIT = 1500;

function compactUtc(iso) {
  return iso.replace(/[-:]/g, "").replace(/\.\d+/, "");
}

function compactDate(isoDay) {
  return isoDay.replace(/-/g, "");
}

function details(event, topicUrl, linkLine) {
  const parts = [event.description, topicUrl && linkLine?.(topicUrl)].filter(
    Boolean
  );
  return parts.join("\n\n").slice(0, DESCRIPTION_LIMIT);
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") {
      search.append(key, value);
    }
  }
  return search.toString();
}

function google(event, body) {
  const dates = event.allDay
    ? `${compactDate(event.start)}/${compactDate(event.end)}`
    : `${compactUtc(event.start)}/${compactUtc(event.end)}`;
  return `https://calendar.google.com/calendar/render?${query({
    action: "TEMPLATE",
    text: event.title,
    dates,
    details: body,
    location: event.location,
    ctz: event.timezone,
    recur: event.rrule ? `RRULE:${event.rrule}` : null,
  })}`;
}

function outlookLike(host) {
  return (event, body) =>
    `https://${host}/calendar/0/action/compose?${query({
      rru: "addevent",
      path: "/calendar/action/compose",
      subject: event.title,
      startdt: event.allDay ? event.start : event.start.replace(/\.\d+Z$/, "Z"),
      enddt: event.allDay ? event.end : event.end.replace(/\.\d+Z$/, "Z"),
      allday: event.allDay ? "true" : "false",
      body,
      location: event.location,
    })}`;
}

function yahoo(event, body) {
  return `https://calendar.yahoo.com/?${query({
    v: "60",
    title: event.title,
    st: event.allDay ? compactDate(event.start) : compactUtc(event.start),
    et: event.allDay
      ? compactDate(addDays(event.end, -1))
      : compactUtc(event.end),
    dur: event.allDay ? "allday" : null,
    desc: body,
    in_loc: event.location,
  })}`;
}

const BUILDERS = {
  google,
  outlook: outlookLike("outlook.live.com"),
  office365: outlookLike("outlook.office.com"),
  yahoo,
};

/**
 * "Add to calendar" web links for the kinds asked for. Web calendars take one occurrence; only
 * Google also takes the recurrence rule, so the .ics file is the complete form.
 */
export function calendarLinks(event, { kinds, topicUrl, linkLine } = {}) {
  const body = details(event, topicUrl, linkLine);
  return (kinds ?? CALENDAR_LINK_KINDS)
    .filter((kind) => BUILDERS[kind])
    .map((kind) => ({ kind, url: BUILDERS[kind](event, body) }));
}
