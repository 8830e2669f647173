import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { commands } from "vitest/browser";
import TopicAddToCalendar from "../../javascripts/discourse/components/topic-add-to-calendar";
import { requests, setAjaxResponses } from "../stubs/discourse/lib/ajax";
import { setSettings } from "../stubs/theme-globals";
import { captureDownloads } from "../support/downloads";
import { click, render, teardownRendered, waitFor } from "../support/render";

const workerDiv = `<div data-ics-event="1" data-ics-uid="feed-uid-1@calendar.example.org"
  data-ics-key="feed-uid-1@calendar.example.org" data-ics-start="2026-09-01T16:00:00.000Z"
  data-ics-end="2026-09-01T18:00:00.000Z" data-ics-timezone="Europe/Berlin" data-ics-all-day="false"
  data-ics-summary="Open day" data-ics-location="Town hall" data-ics-status="confirmed"
  data-ics-sequence="4"></div><p>Come along.</p>`;

const pluginDiv = `<div class="discourse-post-event" data-start="2026-10-05 19:00"
  data-end="2026-10-05 21:00" data-timezone="America/Chicago" data-name="Quiz night"></div>`;

function topic({ cooked, event, loaded = true, id = 123 }) {
  const firstPost = { id: 900 + id, post_number: 1, cooked, event };
  return {
    id,
    title: "Topic title",
    url: `/t/topic-title/${id}`,
    postStream: {
      posts: loaded ? [firstPost] : [],
      stream: [firstPost.id, 2000],
    },
    firstPost,
  };
}

let capture;

beforeEach(() => {
  setSettings({ calendar_links: "ics|google", reminder_minutes: 0 });
  setAjaxResponses({});
  capture = captureDownloads();
});

afterEach(() => {
  capture.restore();
  teardownRendered();
});

async function renderFor(model) {
  const outletArgs = { model };
  const root = await render(
    <template><TopicAddToCalendar @outletArgs={{outletArgs}} /></template>
  );
  return root;
}

async function downloadedEvent(root) {
  await waitFor(() => root.querySelector(".ics-add-to-calendar__trigger"));
  await click(root.querySelector(".ics-add-to-calendar__trigger"));
  await click(root.querySelector("[data-kind='ics']"));
  await waitFor(() => capture.downloads.length > 0);
  const [parsed] = await commands.parseIcs(
    await capture.downloads[0].blob.text()
  );
  return parsed;
}

describe("TopicAddToCalendar", () => {
  test("offers an event the worker imported, keeping the feed's UID", async () => {
    const root = await renderFor(topic({ cooked: workerDiv }));
    const parsed = await downloadedEvent(root);
    expect(parsed).toMatchObject({
      uid: "feed-uid-1@calendar.example.org",
      summary: "Open day",
      location: "Town hall",
      sequence: 4,
      start: "2026-09-01T16:00:00.000Z",
      end: "2026-09-01T18:00:00.000Z",
      url: `${window.location.origin}/t/topic-title/123`,
    });
    expect(capture.downloads[0].name).toBe("open-day.ics");
    expect(requests).toEqual([]);
  });

  test("offers an event from the calendar plugin's post.event", async () => {
    const event = {
      id: 1023,
      name: "Members' meeting",
      starts_at: "2026-11-02T18:00:00.000Z",
      ends_at: "2026-11-02T19:00:00.000Z",
      timezone: "Europe/London",
      recurrence: "every_month",
      recurrence_rule: "FREQ=MONTHLY;BYDAY=1MO",
    };
    const root = await renderFor(topic({ cooked: pluginDiv, event }));
    const parsed = await downloadedEvent(root);
    expect(parsed).toMatchObject({
      uid: `discourse-post-event-1023@${window.location.hostname}`,
      summary: "Members' meeting",
      start: "2026-11-02T18:00:00.000Z",
      startTz: "Europe/London",
    });
    expect(parsed.rrule).toContain("RRULE:FREQ=MONTHLY;BYDAY=1MO");
  });

  test("loads the first post when the stream starts further down", async () => {
    const model = topic({ cooked: workerDiv, loaded: false });
    setAjaxResponses({ "/posts/1023.json": model.firstPost });
    const root = await renderFor(model);
    await waitFor(() => root.querySelector(".ics-add-to-calendar__trigger"));
    expect(requests).toEqual(["/posts/1023.json"]);
  });

  test("asks the plugin's endpoint, then reads its element when that fails", async () => {
    setAjaxResponses({
      "/discourse-post-event/events/1023.json": new Error("404"),
    });
    const root = await renderFor(topic({ cooked: pluginDiv }));
    const parsed = await downloadedEvent(root);
    expect(requests).toEqual(["/discourse-post-event/events/1023.json"]);
    expect(parsed).toMatchObject({
      summary: "Quiz night",
      start: "2026-10-06T00:00:00.000Z",
      end: "2026-10-06T02:00:00.000Z",
    });
  });

  test("renders nothing on topics without an event, and runs nothing from cooked HTML", async () => {
    window.__icsHostile = false;
    const cooked = `<p>Plain post</p><img src="x" onerror="window.__icsHostile = true">`;
    const root = await renderFor(topic({ cooked }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(root.querySelector(".ics-add-to-calendar")).toBeNull();
    expect(window.__icsHostile).toBe(false);
  });

  test("wraps the button in the ics-add-to-calendar outlet for other themes", async () => {
    const root = await renderFor(topic({ cooked: workerDiv }));
    await waitFor(() => root.querySelector(".ics-topic-add-to-calendar"));
    expect(
      root.querySelector(
        ".ics-topic-add-to-calendar .ics-add-to-calendar__trigger"
      )
    ).not.toBeNull();
  });
});
