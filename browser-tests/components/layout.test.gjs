// The stylesheet as users get it: common/common.scss compiled, on the stand-in for Discourse's
// page styles and colour schemes that the screenshots use.
import "../screenshots/discourse-standin.scss";
import "../../common/common.scss";
import strings from "virtual:ics-locale-en";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { page, userEvent } from "vitest/browser";
import AddToCalendar from "../../javascripts/discourse/components/add-to-calendar";
import IcsImportStatus from "../../javascripts/discourse/components/ics-import-status";
import { setAjaxResponses } from "../stubs/discourse/lib/ajax";
import { useTranslations } from "../stubs/discourse-i18n";
import { setSettings } from "../stubs/theme-globals";
import {
  ownerWith,
  render,
  teardownOwners,
  teardownRendered,
  waitFor,
} from "../support/render";
import { counts, statusPostCooked } from "../support/status-fixtures";

const event = {
  source: "worker",
  uid: "abc-123@feeds.example.org",
  title: "Board meeting",
  allDay: false,
  start: "2026-03-18T17:00:00.000Z",
  end: "2026-03-18T18:30:00.000Z",
  timezone: "Europe/Berlin",
  location: null,
  url: null,
  description: null,
  status: "confirmed",
  sequence: 0,
  rrule: null,
};

const neverLoads = () => new Promise(() => {});

function channels(colour) {
  const probe = document.createElement("canvas").getContext("2d");
  probe.fillStyle = colour;
  probe.fillRect(0, 0, 1, 1);
  return [...probe.getImageData(0, 0, 1, 1).data].slice(0, 3);
}

function luminance(colour) {
  const [r, g, b] = channels(colour).map((value) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(element) {
  const style = getComputedStyle(element);
  let backgroundOf = element;
  let background = style.backgroundColor;
  while (background === "rgba(0, 0, 0, 0)" && backgroundOf.parentElement) {
    backgroundOf = backgroundOf.parentElement;
    background = getComputedStyle(backgroundOf).backgroundColor;
  }
  if (background === "rgba(0, 0, 0, 0)") {
    // Discourse's page background.
    background = getComputedStyle(document.documentElement)
      .getPropertyValue("--secondary")
      .trim();
  }
  const [light, dark] = [luminance(style.color), luminance(background)].sort(
    (a, b) => b - a
  );
  return (light + 0.05) / (dark + 0.05);
}

function statusDocument() {
  const now = Date.now();
  const at = (minutes) => new Date(now + minutes * 60000).toISOString();
  const run = (outcome, failures = []) => ({
    startedAt: at(-3),
    finishedAt: at(-2),
    outcome,
    counts: counts({ created: 1, failed: failures.length }),
    failures,
  });
  return {
    version: 1,
    generatedAt: at(-1),
    feeds: [
      {
        id: "a",
        name: "Council",
        intervalSeconds: 900,
        nextRunAt: at(10),
        lastRun: run("ok"),
      },
      {
        id: "b",
        name: "Regional-transport-authority-timetable-changes-and-service-notices-2026",
        intervalSeconds: 900,
        nextRunAt: at(10),
        lastRun: run("partial", [
          {
            reason:
              "https://calendar.example.org/feeds/regional-transport-authority/public/basic.ics answered HTTP 500",
          },
        ]),
      },
      {
        id: "c",
        name: "Choir",
        intervalSeconds: 900,
        nextRunAt: at(10),
        lastRun: run("failed", [{ reason: "timed out" }]),
      },
      {
        id: "d",
        name: "Library",
        intervalSeconds: 60,
        nextRunAt: null,
        lastRun: run("not-modified"),
      },
      {
        id: "e",
        name: "New",
        intervalSeconds: 900,
        nextRunAt: at(1),
        lastRun: null,
      },
    ],
  };
}

async function renderStatus() {
  setAjaxResponses({
    "/t/77.json": {
      post_stream: {
        posts: [{ post_number: 1, cooked: statusPostCooked(statusDocument()) }],
      },
    },
  });
  const root = await render(
    <template><IcsImportStatus /></template>,
    {
      owner: ownerWith({ "current-user": { staff: true } }),
    }
  );
  await waitFor(() =>
    root.querySelector(".ics-import-status[data-state='ready']")
  );
  return root;
}

beforeEach(() => {
  // Real texts: their length is what the layout must hold.
  useTranslations(strings);
  setSettings({
    calendar_links: "ics|google|outlook|office365",
    reminder_minutes: 0,
    status_source: "topic",
    status_topic_id: 77,
  });
});

afterEach(async () => {
  useTranslations(null);
  teardownRendered();
  teardownOwners();
  delete document.documentElement.dataset.scheme;
  await page.viewport(1280, 720);
});

describe("layout", () => {
  test("the open menu hangs from the button while a status line shows below it", async () => {
    const root = await render(
      <template>
        <AddToCalendar
          @event={{event}}
          @topicUrl="https://forum.example.org/t/1"
          @loadIcsFileBuilder={{neverLoads}}
        />
      </template>
    );
    const trigger = root.querySelector(".ics-add-to-calendar__trigger");
    await userEvent.click(trigger);
    await userEvent.click(root.querySelector("[data-kind='ics']"));
    await waitFor(() =>
      root.querySelector("[role='status']").textContent.trim()
    );

    const menu = root.querySelector("[role='menu']");
    const gap =
      menu.getBoundingClientRect().top - trigger.getBoundingClientRect().bottom;
    expect(gap).toBeGreaterThanOrEqual(0);
    expect(gap).toBeLessThan(8);
  });

  test("on a phone the button keeps its width and the menu stays on the screen", async () => {
    await page.viewport(390, 720);
    const root = await render(
      <template>
        <AddToCalendar
          @event={{event}}
          @topicUrl="https://forum.example.org/t/1"
        />
      </template>
    );
    const trigger = root.querySelector(".ics-add-to-calendar__trigger");
    expect(trigger.getBoundingClientRect().width).toBeLessThan(390 / 2);
    await userEvent.click(trigger);
    const menu = root.querySelector("[role='menu']");
    expect(menu.getBoundingClientRect().right).toBeLessThanOrEqual(390);
    for (const item of menu.querySelectorAll("[role='menuitem']")) {
      expect(item.getBoundingClientRect().height).toBeGreaterThanOrEqual(40);
    }
  });

  test("long feed names and failure reasons wrap inside their card", async () => {
    await page.viewport(390, 720);
    const root = await renderStatus();
    for (const card of root.querySelectorAll(".ics-import-status__feed")) {
      expect(card.scrollWidth).toBeLessThanOrEqual(card.clientWidth);
      expect(card.getBoundingClientRect().right).toBeLessThanOrEqual(390);
    }
  });

  for (const scheme of ["light", "dark"]) {
    test(`a failed download says so at 4.5:1 or more in the ${scheme} scheme`, async () => {
      document.documentElement.dataset.scheme = scheme;
      const failingLoader = () => Promise.reject(new Error("offline"));
      const quiet = vi.spyOn(globalThis.console, "error").mockReturnValue();
      try {
        const root = await render(
          <template>
            <AddToCalendar
              @event={{event}}
              @topicUrl="https://forum.example.org/t/1"
              @loadIcsFileBuilder={{failingLoader}}
            />
          </template>
        );
        await userEvent.click(
          root.querySelector(".ics-add-to-calendar__trigger")
        );
        await userEvent.click(root.querySelector("[data-kind='ics']"));
        const message = await waitFor(() =>
          root.querySelector(".ics-add-to-calendar__error")
        );
        expect(contrast(message)).toBeGreaterThanOrEqual(4.5);
      } finally {
        quiet.mockRestore();
      }
    });
  }

  for (const scheme of ["light", "dark"]) {
    test(`status texts and badges read at 4.5:1 or more in the ${scheme} scheme`, async () => {
      document.documentElement.dataset.scheme = scheme;
      const root = await renderStatus();
      const texts = root.querySelectorAll(
        ".ics-import-status__badge, .ics-import-status__generated, .ics-import-status__times dt, .ics-import-status__failures h4"
      );
      expect(texts.length).toBeGreaterThan(8);
      for (const text of texts) {
        expect
          .soft(
            contrast(text),
            `${text.className} "${text.textContent.trim()}"`
          )
          .toBeGreaterThanOrEqual(4.5);
      }
    });
  }
});
