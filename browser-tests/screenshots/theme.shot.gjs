// Screenshots of every state a user can see, in a light and a dark scheme, at desktop and
// phone widths. Writes PNGs to ./out/; look at them, nothing is asserted beyond rendering.
import "./discourse-standin.scss";
import "../../common/common.scss";
import strings from "virtual:ics-locale-en";
import { afterEach, beforeEach, describe, test } from "vitest";
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

const TOPIC_URL = "https://forum.example.org/t/board-meeting/123";
const widths = { desktop: 1280, mobile: 390 };
const schemes = ["light", "dark"];

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
  rrule: null,
};

const minutesAgo = (minutes) =>
  new Date(Date.now() - minutes * 60000).toISOString();
const minutesAhead = (minutes) =>
  new Date(Date.now() + minutes * 60000).toISOString();

function feed(id, name, lastRun, { intervalSeconds = 900, nextRunAt } = {}) {
  return {
    id,
    name,
    intervalSeconds,
    nextRunAt: nextRunAt === undefined ? minutesAhead(12) : nextRunAt,
    lastRun,
  };
}

function run(outcome, minutes, countValues, failures = []) {
  return {
    startedAt: minutesAgo(minutes + 1),
    finishedAt: minutesAgo(minutes),
    outcome,
    counts: counts(countValues),
    failures,
  };
}

const statusStates = {
  "no-data": { version: 1, generatedAt: minutesAgo(1), feeds: [] },
  ok: {
    version: 1,
    generatedAt: minutesAgo(2),
    feeds: [
      feed(
        "council",
        "City council",
        run("ok", 2, { created: 3, updated: 1, unchanged: 40 })
      ),
      feed("sports", "Sports club", run("not-modified", 5, {})),
      feed("new", "New feed", null, { nextRunAt: minutesAhead(1) }),
    ],
  },
  stale: {
    version: 1,
    generatedAt: minutesAgo(1),
    feeds: [
      feed("library", "Library readings", run("ok", 95, { unchanged: 8 }), {
        nextRunAt: null,
      }),
    ],
  },
  failures: {
    version: 1,
    generatedAt: minutesAgo(3),
    feeds: [
      feed(
        "regional",
        "Regional-transport-authority-timetable-changes-and-service-notices-2026",
        run("partial", 3, { created: 2, unchanged: 117, failed: 2 }, [
          {
            event: "Budget hearing",
            reason: "DTSTART is not a valid date-time: 2026-13-45T25:61:00",
          },
          {
            reason:
              "https://calendar.example.org/feeds/regional-transport-authority/public/basic.ics?token=redacted answered HTTP 500",
          },
        ])
      ),
      feed(
        "choir",
        "Choir",
        run("failed", 4, {}, [
          { reason: "the feed could not be reached: connection timed out" },
        ])
      ),
    ],
  },
};

function statusTopic(document) {
  return {
    post_stream: {
      posts: [{ post_number: 1, cooked: statusPostCooked(document) }],
    },
  };
}

// Stands for a download that goes wrong; only the "failed" screenshot clicks it.
const failingBuilder = () => Promise.reject(new Error("no file today"));

const staff = () => ownerWith({ "current-user": { staff: true } });

function pageTemplate(scheme, body) {
  document.documentElement.dataset.scheme = scheme;
  return body;
}

async function shot(element, name) {
  await page.screenshot({ element, path: `out/${name}.png` });
}

beforeEach(() => {
  useTranslations(strings);
  setSettings({
    calendar_links: "ics|google|outlook|office365",
    reminder_minutes: 0,
    status_source: "topic",
    status_topic_id: 77,
    status_worker_url: "",
  });
});

afterEach(() => {
  useTranslations(null);
  teardownRendered();
  teardownOwners();
  delete document.documentElement.dataset.scheme;
});

for (const scheme of schemes) {
  for (const [device, width] of Object.entries(widths)) {
    describe(`${scheme} ${device}`, () => {
      for (const opening of ["closed", "keyboard", "mouse", "failed"]) {
        test(`add to calendar, ${opening}`, async () => {
          await page.viewport(width, 720);
          pageTemplate(scheme);
          const root = await render(
            <template>
              <div class="shot-page">
                <h1>Board meeting: Q3</h1>
                <div class="ics-topic-add-to-calendar">
                  <AddToCalendar
                    @event={{event}}
                    @topicUrl={{TOPIC_URL}}
                    @loadIcsFileBuilder={{failingBuilder}}
                  />
                </div>
                <div class="shot-post">
                  <p>The quarterly board meeting, open to all members. We go
                    through the accounts, the plans for the summer festival and
                    the new rules for room bookings.</p>
                  <p>Please read the papers in advance; questions can be posted
                    in this topic until the day before.</p>
                  <p>Coffee from 18:45.</p>
                </div>
              </div>
            </template>
          );
          const trigger = root.querySelector(".ics-add-to-calendar__trigger");
          // The pointer stays where an earlier test left it; park it on the title.
          await userEvent.hover(root.querySelector("h1"));
          if (opening === "keyboard") {
            trigger.focus();
            await userEvent.keyboard("{ArrowDown}");
          } else if (opening === "mouse") {
            await userEvent.click(trigger);
          }
          if (opening !== "closed" && opening !== "failed") {
            await waitFor(() => root.querySelector("[role='menu']"));
          }
          if (opening === "failed") {
            await userEvent.click(trigger);
            await userEvent.click(root.querySelector("[data-kind='ics']"));
            await waitFor(() =>
              root.querySelector(".ics-add-to-calendar__error")
            );
          }
          if (opening === "mouse") {
            await userEvent.hover(root.querySelector("[data-kind='outlook']"));
          }
          await shot(
            root.querySelector(".shot-page"),
            `button-${scheme}-${device}-${opening}`
          );
        });
      }

      const states = [
        ...Object.keys(statusStates),
        "error",
        "not-configured",
        "unreadable",
      ];
      for (const state of states) {
        test(`status ${state}`, async () => {
          await page.viewport(width, 720);
          pageTemplate(scheme);
          if (state === "error") {
            setAjaxResponses({
              "/t/77.json": Object.assign(new Error("forbidden"), {
                jqXHR: { status: 403 },
              }),
            });
          } else if (state === "not-configured") {
            setSettings({ status_source: "topic", status_topic_id: 0 });
          } else if (state === "unreadable") {
            setAjaxResponses({
              "/t/77.json": {
                post_stream: {
                  posts: [{ post_number: 1, cooked: "<p>Status</p>" }],
                },
              },
            });
          } else {
            setAjaxResponses({
              "/t/77.json": statusTopic(statusStates[state]),
            });
          }
          const root = await render(
            <template>
              <div class="shot-page"><IcsImportStatus /></div>
            </template>,
            { owner: staff() }
          );
          await waitFor(
            () =>
              root.querySelector(".ics-import-status")?.dataset.state !==
              "loading"
          );
          await shot(
            root.querySelector(".shot-page"),
            `status-${scheme}-${device}-${state}`
          );
        });
      }
    });
  }
}
