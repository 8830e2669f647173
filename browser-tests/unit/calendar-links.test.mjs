import { describe, expect, test } from "vitest";
import { calendarLinks } from "../../javascripts/discourse/lib/calendar-links";

const TOPIC_URL = "https://forum.example.org/t/board-meeting/123";
const timed = {
  title: "Board & budget: Q3?",
  allDay: false,
  start: "2026-03-10T08:00:00.000Z",
  end: "2026-03-10T09:30:00.000Z",
  timezone: "Europe/Berlin",
  location: "Room 4, Main St",
  description: "Numbers",
  rrule: "FREQ=WEEKLY;BYDAY=TU",
};
const allDay = {
  title: "Summer fair",
  allDay: true,
  start: "2026-07-10",
  end: "2026-07-13",
  timezone: null,
  location: null,
  description: null,
  rrule: null,
};

function params(url) {
  return Object.fromEntries(new URL(url).searchParams);
}

function linksFor(event, kinds) {
  return Object.fromEntries(
    calendarLinks(event, {
      kinds,
      topicUrl: TOPIC_URL,
      linkLine: (url) => `More: ${url}`,
    }).map(({ kind, url }) => [kind, url])
  );
}

describe("calendarLinks", () => {
  test("offers only the kinds asked for, in that order", () => {
    expect(
      calendarLinks(timed, { kinds: ["office365", "ics", "google"] }).map(
        (link) => link.kind
      )
    ).toEqual(["office365", "google"]);
  });

  test("Google gets UTC times, the zone, the recurrence and the topic link", () => {
    const url = linksFor(timed, ["google"]).google;
    expect(url.startsWith("https://calendar.google.com/calendar/render?")).toBe(
      true
    );
    expect(params(url)).toEqual({
      action: "TEMPLATE",
      text: "Board & budget: Q3?",
      dates: "20260310T080000Z/20260310T093000Z",
      details: `Numbers\n\nMore: ${TOPIC_URL}`,
      location: "Room 4, Main St",
      ctz: "Europe/Berlin",
      recur: "RRULE:FREQ=WEEKLY;BYDAY=TU",
    });
  });

  test("Google gets all-day events as dates with the exclusive end", () => {
    expect(params(linksFor(allDay, ["google"]).google).dates).toBe(
      "20260710/20260713"
    );
  });

  test("Outlook.com and Office 365 get ISO times and an all-day flag", () => {
    const links = linksFor(timed, ["outlook", "office365"]);
    expect(new URL(links.outlook).host).toBe("outlook.live.com");
    expect(new URL(links.office365).host).toBe("outlook.office.com");
    expect(params(links.outlook)).toMatchObject({
      rru: "addevent",
      subject: "Board & budget: Q3?",
      startdt: "2026-03-10T08:00:00Z",
      enddt: "2026-03-10T09:30:00Z",
      allday: "false",
      location: "Room 4, Main St",
    });
    expect(params(linksFor(allDay, ["office365"]).office365)).toMatchObject({
      startdt: "2026-07-10",
      enddt: "2026-07-13",
      allday: "true",
    });
  });

  test("Yahoo gets the last day of an all-day event, not the exclusive end", () => {
    expect(params(linksFor(allDay, ["yahoo"]).yahoo)).toMatchObject({
      st: "20260710",
      et: "20260712",
      dur: "allday",
    });
  });

  test("hostile text stays inside its parameter", () => {
    const hostile = {
      ...timed,
      title: "a&action=EVIL#frag\n<b>",
      location: null,
    };
    const google = linksFor(hostile, ["google"]).google;
    expect(params(google).text).toBe("a&action=EVIL#frag\n<b>");
    expect(params(google).action).toBe("TEMPLATE");
    expect(new URL(google).hash).toBe("");
    expect("location" in params(google)).toBe(false);
  });
});
