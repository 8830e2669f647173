import { describe, expect, test } from "vitest";
import {
  eventFromPluginDataset,
  eventFromPostEvent,
  eventFromWorkerDataset,
  normalizeRrule,
} from "../../javascripts/discourse/lib/event-info";

const timedWorker = {
  icsEvent: "1",
  icsUid: "abc-123@feeds.example.org",
  icsKey: "abc-123@feeds.example.org",
  icsStart: "2026-03-29T08:00:00.000Z",
  icsEnd: "2026-03-29T09:30:00.000Z",
  icsTimezone: "Europe/Berlin",
  icsAllDay: "false",
  icsSummary: "Board meeting",
  icsLocation: "Room 4",
  icsUrl: "https://example.org/meeting",
  icsStatus: "tentative",
  icsSequence: "3",
};

describe("eventFromWorkerDataset", () => {
  test("reads a timed event with every field", () => {
    expect(eventFromWorkerDataset(timedWorker)).toEqual({
      source: "worker",
      uid: "abc-123@feeds.example.org",
      title: "Board meeting",
      allDay: false,
      start: "2026-03-29T08:00:00.000Z",
      end: "2026-03-29T09:30:00.000Z",
      timezone: "Europe/Berlin",
      location: "Room 4",
      url: "https://example.org/meeting",
      description: null,
      status: "tentative",
      sequence: 3,
      rrule: null,
    });
  });

  test("reads an all-day multi-day event and keeps the exclusive end", () => {
    const event = eventFromWorkerDataset({
      icsEvent: "1",
      icsUid: "fair",
      icsAllDay: "true",
      icsStart: "2026-07-10",
      icsEnd: "2026-07-13",
      icsSummary: "Summer fair",
    });
    expect(event).toMatchObject({
      allDay: true,
      start: "2026-07-10",
      end: "2026-07-13",
      timezone: null,
    });
  });

  test("gives a one-day all-day event without end the next day as end", () => {
    const event = eventFromWorkerDataset({
      icsEvent: "1",
      icsUid: "x",
      icsAllDay: "true",
      icsStart: "2026-12-31",
      icsSummary: "New year's eve",
    });
    expect(event.end).toBe("2027-01-01");
  });

  test("keeps the series UID and RRULE for an occurrence of a series", () => {
    const event = eventFromWorkerDataset({
      ...timedWorker,
      icsKey: "abc-123@feeds.example.org@2026-03-29T08:00:00.000Z",
      icsRrule: "FREQ=WEEKLY;BYDAY=SU",
    });
    expect(event.uid).toBe("abc-123@feeds.example.org");
    expect(event.rrule).toBe("FREQ=WEEKLY;BYDAY=SU");
  });

  test("gives a lone moved occurrence its key as UID so it cannot replace the series", () => {
    const key = "abc-123@feeds.example.org@2026-03-29T08:00:00.000Z";
    expect(eventFromWorkerDataset({ ...timedWorker, icsKey: key }).uid).toBe(
      key
    );
  });

  test("rejects missing or malformed data instead of guessing", () => {
    expect(eventFromWorkerDataset({})).toBeNull();
    expect(
      eventFromWorkerDataset({ ...timedWorker, icsStart: "next tuesday" })
    ).toBeNull();
    expect(
      eventFromWorkerDataset({
        ...timedWorker,
        icsStart: "2026-03-29T08:00:00",
      })
    ).toBeNull();
    expect(
      eventFromWorkerDataset({
        ...timedWorker,
        icsAllDay: "true",
        icsStart: "2026-02-30",
      })
    ).toBeNull();
  });

  test("neutralises hostile text and unsafe URLs", () => {
    const event = eventFromWorkerDataset({
      ...timedWorker,
      icsSummary: "  <script>alert(1)</script>\u0000 Party ",
      // eslint-disable-next-line no-script-url
      icsUrl: "javascript:alert(1)",
      icsTimezone: "Mars/Olympus_Mons",
      icsStatus: "exploded",
      icsSequence: "-4",
      icsRrule: "FREQ=DAILY\r\nATTENDEE:mailto:x@example.org",
    });
    expect(event.title).toBe("<script>alert(1)</script> Party");
    expect(event.url).toBeNull();
    expect(event.timezone).toBeNull();
    expect(event.status).toBe("confirmed");
    expect(event.sequence).toBe(0);
    expect(event.rrule).toBeNull();
  });

  test("gives an event that ends before it starts a one-hour length", () => {
    const event = eventFromWorkerDataset({
      ...timedWorker,
      icsEnd: "2026-03-29T07:00:00.000Z",
    });
    expect(event.end).toBe("2026-03-29T09:00:00.000Z");
  });
});

describe("eventFromPostEvent", () => {
  const postEvent = {
    id: 42,
    name: "Weekly call",
    starts_at: "2026-03-18T17:00:00.000Z",
    ends_at: "2026-03-18T18:00:00.000Z",
    timezone: "Europe/Berlin",
    location: "Jitsi",
    url: "https://meet.example.org/call",
    recurrence: "every_week",
    recurrence_rule: "FREQ=WEEKLY;INTERVAL=2;",
    status: "public",
  };

  test("reads the serialized event and makes a stable UID from its id", () => {
    expect(
      eventFromPostEvent(postEvent, { host: "forum.example.org" })
    ).toEqual({
      source: "calendar-plugin",
      uid: "discourse-post-event-42@forum.example.org",
      title: "Weekly call",
      allDay: false,
      start: "2026-03-18T17:00:00.000Z",
      end: "2026-03-18T18:00:00.000Z",
      timezone: "Europe/Berlin",
      location: "Jitsi",
      url: "https://meet.example.org/call",
      description: null,
      status: "confirmed",
      sequence: 0,
      rrule: "FREQ=WEEKLY;INTERVAL=2",
    });
  });

  test("falls back to the topic title when the event has no name", () => {
    const event = eventFromPostEvent(
      { ...postEvent, name: null },
      { fallbackTitle: "Topic title" }
    );
    expect(event.title).toBe("Topic title");
  });

  test("turns an all-day event into local dates with an exclusive end", () => {
    const event = eventFromPostEvent({
      ...postEvent,
      all_day: true,
      timezone: "America/Los_Angeles",
      starts_at: "2026-05-01T07:00:00.000Z",
      ends_at: "2026-05-03T06:59:59.000Z",
      recurrence_rule: null,
    });
    expect(event).toMatchObject({
      allDay: true,
      start: "2026-05-01",
      end: "2026-05-03",
    });
  });
});

describe("eventFromPluginDataset", () => {
  test("reads the author's wall-clock time in the event's zone", () => {
    const event = eventFromPluginDataset(
      {
        start: "2026-12-01 18:00",
        end: "2026-12-01 20:00",
        timezone: "America/New_York",
        name: "Book club",
        recurrence: "every_month",
      },
      { postId: 7, host: "forum.example.org" }
    );
    expect(event).toMatchObject({
      uid: "discourse-post-event-7@forum.example.org",
      start: "2026-12-01T23:00:00.000Z",
      end: "2026-12-02T01:00:00.000Z",
      timezone: "America/New_York",
      rrule: "FREQ=MONTHLY;BYDAY=1TU",
    });
  });

  test("reads UTC when no zone is given and a date-only start as all-day", () => {
    expect(
      eventFromPluginDataset({ start: "2026-06-01 09:00", name: "Standup" }, {})
        .start
    ).toBe("2026-06-01T09:00:00.000Z");
    expect(
      eventFromPluginDataset(
        { start: "2026-06-01", end: "2026-06-02", name: "Retreat" },
        {}
      )
    ).toMatchObject({ allDay: true, start: "2026-06-01", end: "2026-06-03" });
  });

  test("reads a time in a DST gap with the offset before the gap", () => {
    const event = eventFromPluginDataset({
      start: "2026-03-29 02:30",
      timezone: "Europe/Berlin",
      name: "Night shift",
    });
    expect(event.start).toBe("2026-03-29T01:30:00.000Z");
  });
});

describe("normalizeRrule", () => {
  test("drops the prefix and empty parts and upper-cases", () => {
    expect(normalizeRrule("RRULE:freq=weekly;;byday=mo;")).toBe(
      "FREQ=WEEKLY;BYDAY=MO"
    );
  });

  test("takes the RRULE line when a DTSTART line comes with it", () => {
    expect(
      normalizeRrule("DTSTART:20261102T180000Z\nRRULE:FREQ=MONTHLY;BYDAY=1MO")
    ).toBe("FREQ=MONTHLY;BYDAY=1MO");
  });

  test("refuses text that is not a recurrence rule", () => {
    expect(normalizeRrule("BYDAY=MO")).toBeNull();
    expect(normalizeRrule("FREQ=DAILY;X=<b>")).toBeNull();
  });
});
