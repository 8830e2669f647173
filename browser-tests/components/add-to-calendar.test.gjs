import { settled } from "@ember/test-helpers";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { commands, userEvent } from "vitest/browser";
import AddToCalendar from "../../javascripts/discourse/components/add-to-calendar";
import { setSettings } from "../stubs/theme-globals";
import { captureDownloads } from "../support/downloads";
import {
  click,
  keydown,
  render,
  teardownRendered,
  waitFor,
} from "../support/render";

const TOPIC_URL = "https://forum.example.org/t/board-meeting/123";

const event = {
  source: "worker",
  uid: "abc-123@feeds.example.org",
  title: "Board meeting: Q3",
  allDay: false,
  start: "2026-03-18T17:00:00.000Z",
  end: "2026-03-18T18:30:00.000Z",
  timezone: "Europe/Berlin",
  location: "Room 4",
  url: null,
  description: null,
  status: "confirmed",
  sequence: 2,
  rrule: "FREQ=WEEKLY;COUNT=3",
};

let downloads;
let capture;

beforeEach(() => {
  setSettings({
    calendar_links: "ics|google|outlook|office365",
    reminder_minutes: 30,
  });
  capture = captureDownloads();
  downloads = capture.downloads;
});

afterEach(() => {
  capture.restore();
  teardownRendered();
});

function trigger(root) {
  return root.querySelector(".ics-add-to-calendar__trigger");
}

describe("AddToCalendar", () => {
  test("opens an accessible menu and downloads an .ics that matches the event", async () => {
    const root = await render(
      <template>
        <AddToCalendar @event={{event}} @topicUrl={{TOPIC_URL}} />
      </template>
    );
    const button = trigger(root);
    expect(button.getAttribute("aria-expanded")).toBe("false");
    expect(button.getAttribute("aria-haspopup")).toBe("menu");
    expect(button.hasAttribute("aria-controls")).toBe(false);

    await click(button);
    expect(button.getAttribute("aria-expanded")).toBe("true");
    const menu = root.querySelector("[role='menu']");
    expect(button.getAttribute("aria-controls")).toBe(menu.id);
    expect(
      [...menu.querySelectorAll("[role='menuitem']")].map(
        (item) => item.dataset.kind
      )
    ).toEqual(["ics", "google", "outlook", "office365"]);
    expect(document.activeElement.dataset.kind).toBe("ics");

    await click(root.querySelector("[data-kind='ics']"));
    await waitFor(() => downloads.length > 0);

    expect(downloads).toHaveLength(1);
    expect(downloads[0].name).toBe("board-meeting-q3.ics");
    expect(downloads[0].blob.type).toBe("text/calendar;charset=utf-8");
    const [parsed] = await commands.parseIcs(await downloads[0].blob.text(), {
      from: "2026-01-01",
      to: "2027-01-01",
    });
    expect(parsed).toMatchObject({
      uid: event.uid,
      summary: event.title,
      location: event.location,
      url: TOPIC_URL,
      sequence: 2,
      start: event.start,
      end: event.end,
      startTz: "Europe/Berlin",
      alarms: ["-PT30M"],
    });
    expect(parsed.occurrences).toEqual([
      "2026-03-18T17:00:00.000Z",
      "2026-03-25T17:00:00.000Z",
      "2026-04-01T16:00:00.000Z",
    ]);
    expect(root.querySelector("[role='menu']")).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  test("works from the keyboard: arrows move, Escape closes and returns focus", async () => {
    const root = await render(
      <template>
        <AddToCalendar @event={{event}} @topicUrl={{TOPIC_URL}} />
      </template>
    );
    const button = trigger(root);
    button.focus();

    await keydown(button, "ArrowDown");
    expect(button.getAttribute("aria-expanded")).toBe("true");
    expect(document.activeElement.dataset.kind).toBe("ics");

    await keydown(document.activeElement, "ArrowDown");
    expect(document.activeElement.dataset.kind).toBe("google");
    await keydown(document.activeElement, "End");
    expect(document.activeElement.dataset.kind).toBe("office365");
    await keydown(document.activeElement, "ArrowDown");
    expect(document.activeElement.dataset.kind).toBe("ics");
    await keydown(document.activeElement, "ArrowUp");
    expect(document.activeElement.dataset.kind).toBe("office365");

    await keydown(document.activeElement, "Escape");
    expect(root.querySelector("[role='menu']")).toBeNull();
    expect(button.getAttribute("aria-expanded")).toBe("false");
    expect(document.activeElement).toBe(button);

    await keydown(button, "ArrowUp");
    expect(document.activeElement.dataset.kind).toBe("office365");
  });

  test("with real keys, Tab leaves the open menu for the next control and Shift+Tab for the trigger", async () => {
    const root = await render(
      <template>
        <AddToCalendar @event={{event}} @topicUrl={{TOPIC_URL}} />
        <button type="button" class="after">after</button>
      </template>
    );
    const opener = trigger(root);
    opener.focus();

    await userEvent.keyboard("{Enter}");
    await waitFor(() => document.activeElement?.dataset.kind === "ics");
    await userEvent.keyboard("{ArrowDown}");
    expect(document.activeElement.dataset.kind).toBe("google");
    await userEvent.tab();
    await settled();
    expect(root.querySelector("[role='menu']")).toBeNull();
    expect(document.activeElement).toBe(root.querySelector(".after"));

    opener.focus();
    await userEvent.keyboard(" ");
    await waitFor(() => document.activeElement?.dataset.kind === "ics");
    await userEvent.tab({ shift: true });
    await settled();
    expect(root.querySelector("[role='menu']")).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(opener.getAttribute("aria-expanded")).toBe("false");
  });

  test("tells screen readers what the trigger controls and that web calendars open a new tab", async () => {
    const root = await render(
      <template>
        <AddToCalendar @event={{event}} @topicUrl={{TOPIC_URL}} />
      </template>
    );
    trigger(root).focus();
    await userEvent.keyboard("{Enter}");
    await waitFor(() => root.querySelector("[role='menu']"));

    const prefix = "theme_translations.0.add_to_calendar";
    const newTab = `${prefix}.opens_in_new_tab`;
    expect(await commands.ariaSnapshot(".ics-add-to-calendar")).toBe(
      [
        `- button "${prefix}.button" [expanded]`,
        `- menu "${prefix}.button":`,
        `  - menuitem "${prefix}.ics"`,
        `  - menuitem "${prefix}.google ${newTab}"`,
        `  - menuitem "${prefix}.outlook ${newTab}"`,
        `  - menuitem "${prefix}.office365 ${newTab}"`,
        "- status",
      ].join("\n")
    );
  });

  test("closes when focus leaves the menu", async () => {
    const root = await render(
      <template>
        <AddToCalendar @event={{event}} @topicUrl={{TOPIC_URL}} />
        <button type="button" class="elsewhere">elsewhere</button>
      </template>
    );
    await click(trigger(root));
    root.querySelector(".elsewhere").focus();
    await settled();
    expect(root.querySelector("[role='menu']")).toBeNull();
  });

  test("pressing the trigger closes the open menu even where a click does not focus the button", async () => {
    const root = await render(
      <template>
        <AddToCalendar @event={{event}} @topicUrl={{TOPIC_URL}} />
      </template>
    );
    const opener = trigger(root);
    await click(opener);
    expect(root.querySelector("[role='menu']")).not.toBeNull();

    // Safari's order of events: pointerdown, the menu item loses focus to nothing, click.
    opener.dispatchEvent(new PointerEvent("pointerdown", { bubbles: true }));
    document.activeElement.blur();
    await settled();
    await click(opener);
    expect(root.querySelector("[role='menu']")).toBeNull();
    expect(opener.getAttribute("aria-expanded")).toBe("false");
  });

  test("links open the web calendars in a new tab with the event filled in", async () => {
    const root = await render(
      <template>
        <AddToCalendar @event={{event}} @topicUrl={{TOPIC_URL}} />
      </template>
    );
    await click(trigger(root));
    const google = root.querySelector("[data-kind='google']");
    expect(google.getAttribute("target")).toBe("_blank");
    expect(google.getAttribute("rel")).toBe("noopener noreferrer");
    const params = new URL(google.href).searchParams;
    expect(params.get("text")).toBe(event.title);
    expect(params.get("dates")).toBe("20260318T170000Z/20260318T183000Z");
    expect(params.get("details")).toContain(TOPIC_URL);
    expect(
      new URL(root.querySelector("[data-kind='office365']").href).host
    ).toBe("outlook.office.com");
  });

  test("offers only the entries the settings allow", async () => {
    setSettings({ calendar_links: "google|yahoo", reminder_minutes: 0 });
    const root = await render(
      <template>
        <AddToCalendar @event={{event}} @topicUrl={{TOPIC_URL}} />
      </template>
    );
    await click(trigger(root));
    expect(
      [...root.querySelectorAll("[role='menuitem']")].map(
        (item) => item.dataset.kind
      )
    ).toEqual(["google", "yahoo"]);
  });

  test("renders nothing when every entry is switched off", async () => {
    setSettings({ calendar_links: "", reminder_minutes: 0 });
    const root = await render(
      <template>
        <AddToCalendar @event={{event}} @topicUrl={{TOPIC_URL}} />
      </template>
    );
    expect(root.querySelector(".ics-add-to-calendar")).toBeNull();
  });

  test("downloads an all-day event as dates and keeps hostile text as text", async () => {
    setSettings({ calendar_links: "ics", reminder_minutes: 0 });
    const allDay = {
      ...event,
      uid: "fair@feeds.example.org",
      title: 'Fair <img src=x onerror="alert(1)">; DROP\nEND:VCALENDAR',
      allDay: true,
      start: "2026-07-10",
      end: "2026-07-13",
      timezone: null,
      rrule: null,
    };
    const root = await render(
      <template>
        <AddToCalendar @event={{allDay}} @topicUrl={{TOPIC_URL}} />
      </template>
    );
    expect(root.querySelector("img")).toBeNull();
    await click(trigger(root));
    await click(root.querySelector("[data-kind='ics']"));
    await waitFor(() => downloads.length > 0);

    expect(downloads[0].name).toBe(
      "fair-img-src-x-onerror-alert-1-drop-end-vcalendar.ics"
    );
    const text = await downloads[0].blob.text();
    expect(text).toContain("DTSTART;VALUE=DATE:20260710");
    expect(text).toContain("DTEND;VALUE=DATE:20260713");
    const [parsed] = await commands.parseIcs(text);
    expect(parsed).toMatchObject({
      uid: allDay.uid,
      summary: allDay.title,
      dateOnly: true,
      alarms: [],
    });
  });

  test("says so when the calendar file cannot be made", async () => {
    const failingLoader = () => Promise.reject(new Error("offline"));
    const quiet = vi.spyOn(globalThis.console, "error").mockReturnValue();
    try {
      const root = await render(
        <template>
          <AddToCalendar
            @event={{event}}
            @topicUrl={{TOPIC_URL}}
            @loadIcsFileBuilder={{failingLoader}}
          />
        </template>
      );
      await click(trigger(root));
      await click(root.querySelector("[data-kind='ics']"));
      await waitFor(() => root.querySelector(".ics-add-to-calendar__error"));
      expect(root.querySelector("[role='status']").textContent).toContain(
        "add_to_calendar.download_failed"
      );
      expect(downloads).toHaveLength(0);
      // Closed so the message is not hidden under the menu; focus back on the button.
      expect(root.querySelector("[role='menu']")).toBeNull();
      expect(document.activeElement).toBe(trigger(root));
    } finally {
      quiet.mockRestore();
    }
  });
});
