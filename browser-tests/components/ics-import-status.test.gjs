import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { userEvent } from "vitest/browser";
import IcsImportStatus from "../../javascripts/discourse/components/ics-import-status";
import { requests, setAjaxResponses } from "../stubs/discourse/lib/ajax";
import { setSettings } from "../stubs/theme-globals";
import {
  click,
  ownerWith,
  render,
  teardownOwners,
  teardownRendered,
  waitFor,
} from "../support/render";
import { counts, statusPostCooked } from "../support/status-fixtures";

const minutesAgo = (minutes) =>
  new Date(Date.now() - minutes * 60000).toISOString();
const minutesAhead = (minutes) =>
  new Date(Date.now() + minutes * 60000).toISOString();

function statusDocument() {
  return {
    version: 1,
    generatedAt: minutesAgo(2),
    feeds: [
      {
        id: "council",
        name: "City council",
        intervalSeconds: 900,
        nextRunAt: minutesAhead(13),
        lastRun: {
          startedAt: minutesAgo(3),
          finishedAt: minutesAgo(2),
          outcome: "partial",
          counts: counts({ created: 2, unchanged: 40, failed: 1 }),
          failures: [
            { event: "Budget hearing", reason: "title too short" },
            { reason: "<b>feed</b> answered HTTP 500" },
          ],
        },
      },
      {
        id: "sports",
        name: "Sports club",
        intervalSeconds: 600,
        nextRunAt: null,
        lastRun: {
          startedAt: minutesAgo(31),
          finishedAt: minutesAgo(30),
          outcome: "ok",
          counts: counts({ unchanged: 12 }),
          failures: [],
        },
      },
      {
        id: "new-feed",
        name: "New feed",
        intervalSeconds: 600,
        nextRunAt: minutesAhead(1),
        lastRun: null,
      },
    ],
  };
}

function statusTopic(cooked) {
  return { post_stream: { posts: [{ post_number: 1, cooked }] } };
}

const staff = ownerWithUser({ staff: true });

function ownerWithUser(user) {
  return () => ownerWith({ "current-user": user });
}

async function renderWidget(owner = staff()) {
  const root = await render(
    <template><IcsImportStatus /></template>,
    {
      owner,
    }
  );
  await waitFor(
    () =>
      root.querySelector(".ics-import-status")?.dataset.state !== "loading" &&
      root
  );
  return root;
}

function state(root) {
  return root.querySelector(".ics-import-status").dataset.state;
}

beforeEach(() => {
  setSettings({
    status_source: "topic",
    status_topic_id: 77,
    status_worker_url: "",
  });
  setAjaxResponses({});
});

afterEach(() => {
  teardownRendered();
  teardownOwners();
});

describe("IcsImportStatus", () => {
  test("shows each feed with times, counts, failures, stale and never-run states", async () => {
    setAjaxResponses({
      "/t/77.json": statusTopic(statusPostCooked(statusDocument())),
    });
    const root = await renderWidget();
    expect(requests).toEqual(["/t/77.json"]);
    expect(state(root)).toBe("ready");

    const [council, sports, fresh] = root.querySelectorAll(
      ".ics-import-status__feed"
    );
    expect(council.dataset.state).toBe("partial");
    expect(council.querySelector("h3").textContent).toBe("City council");
    expect(council.querySelector("time").textContent).toBe("2 minutes ago");
    expect(council.querySelectorAll("time")[1].textContent).toBe(
      "in 13 minutes"
    );
    expect(
      [...council.querySelectorAll("[data-count]")].map((item) =>
        item.textContent.replace(/\s+/g, " ").trim()
      )
    ).toEqual([
      "2 theme_translations.0.import_status.counts.created",
      "40 theme_translations.0.import_status.counts.unchanged",
      "1 theme_translations.0.import_status.counts.failed",
    ]);
    const failures = [
      ...council.querySelectorAll(".ics-import-status__failures li"),
    ];
    expect(failures.map((item) => item.textContent.trim())).toEqual([
      "theme_translations.0.import_status.failure_event(event=Budget hearing,reason=title too short)",
      "<b>feed</b> answered HTTP 500",
    ]);
    expect(council.querySelector("b")).toBeNull();

    expect(sports.dataset.state).toBe("stale");
    expect(
      sports.querySelector(".ics-import-status__badge--stale")
    ).not.toBeNull();
    expect(sports.textContent).toContain("import_status.not_scheduled");

    expect(fresh.dataset.state).toBe("never-run");
    expect(fresh.textContent).toContain("import_status.never_run");
    expect(fresh.querySelector("[data-count]")).toBeNull();
  });

  test("still formats times when the page's language tag is not one the browser knows", async () => {
    const lang = document.documentElement.lang;
    document.documentElement.lang = "pt_BR";
    try {
      setAjaxResponses({
        "/t/77.json": statusTopic(statusPostCooked(statusDocument())),
      });
      const root = await renderWidget();
      expect(state(root)).toBe("ready");
      expect(root.querySelector("time").textContent).not.toBe("");
    } finally {
      document.documentElement.lang = lang;
    }
  });

  test("says when the worker has reported no feeds yet", async () => {
    const empty = { version: 1, generatedAt: minutesAgo(1), feeds: [] };
    setAjaxResponses({
      "/t/77.json": statusTopic(statusPostCooked(empty)),
    });
    const root = await renderWidget();
    expect(state(root)).toBe("no-data");
    expect(root.textContent).toContain("import_status.no_data");
  });

  test("explains a failed fetch with the HTTP status", async () => {
    const forbidden = Object.assign(new Error("forbidden"), {
      jqXHR: { status: 403 },
    });
    setAjaxResponses({ "/t/77.json": forbidden });
    const root = await renderWidget();
    expect(state(root)).toBe("fetch-failed");
    expect(root.querySelector("[role='alert']").textContent.trim()).toBe(
      "theme_translations.0.import_status.fetch_errors.topic_http(topic=77,status=403)"
    );
  });

  test("explains an unreadable document", async () => {
    setAjaxResponses({
      "/t/77.json": statusTopic(`<div data-ics-status="@@not-base64@@"></div>`),
    });
    const root = await renderWidget();
    expect(state(root)).toBe("unreadable");
    expect(root.querySelector("[role='alert']").textContent).toContain(
      "reason=not base64url"
    );
  });

  test("asks for configuration when no status topic is set", async () => {
    setSettings({ status_source: "topic", status_topic_id: 0 });
    const root = await renderWidget();
    expect(state(root)).toBe("not-configured");
    expect(requests).toEqual([]);
  });

  test("reads the worker's /api/status when the setting says so, and refreshes", async () => {
    setSettings({
      status_source: "worker",
      status_topic_id: 0,
      status_worker_url: "https://ics-worker.example.org/api/status",
    });
    const calls = [];
    let answer = new Response(JSON.stringify(statusDocument()), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
    const originalFetch = window.fetch;
    window.fetch = async (url, init) => {
      calls.push({ url, credentials: init.credentials });
      return answer;
    };
    try {
      const root = await renderWidget();
      expect(state(root)).toBe("ready");
      expect(calls).toEqual([
        {
          url: "https://ics-worker.example.org/api/status",
          credentials: "omit",
        },
      ]);

      answer = new Response("busy", { status: 503 });
      await click(root.querySelector(".ics-import-status__refresh"));
      await waitFor(() => state(root) === "fetch-failed");
      expect(root.querySelector("[role='alert']").textContent).toContain(
        "fetch_errors.worker_http(url=https://ics-worker.example.org/api/status,status=503)"
      );
    } finally {
      window.fetch = originalFetch;
    }
  });

  test("keeps keyboard focus on Refresh while the status reloads", async () => {
    setSettings({
      status_source: "worker",
      status_topic_id: 0,
      status_worker_url: "https://ics-worker.example.org/api/status",
    });
    let answer = Promise.resolve(Response.json(statusDocument()));
    const originalFetch = window.fetch;
    window.fetch = () => answer;
    try {
      const root = await renderWidget();
      const refresh = root.querySelector(".ics-import-status__refresh");
      refresh.focus();

      let respond;
      answer = new Promise((resolve) => (respond = resolve));
      await userEvent.keyboard("{Enter}");
      await waitFor(() => state(root) === "loading");
      expect(document.activeElement).toBe(refresh);
      expect(refresh.getAttribute("aria-disabled")).toBe("true");

      // Pressing it again while loading starts no second request.
      await userEvent.keyboard("{Enter}");
      respond(Response.json(statusDocument()));
      await waitFor(() => state(root) === "ready");
      expect(document.activeElement).toBe(refresh);
      expect(refresh.getAttribute("aria-disabled")).toBe("false");
    } finally {
      window.fetch = originalFetch;
    }
  });

  test("each panel is labelled by its own heading", async () => {
    setAjaxResponses({
      "/t/77.json": statusTopic(statusPostCooked(statusDocument())),
    });
    const first = await renderWidget();
    const second = await renderWidget();
    const labels = [first, second].map((root) => {
      const section = root.querySelector("section");
      const heading = document.getElementById(
        section.getAttribute("aria-labelledby")
      );
      expect(section.contains(heading)).toBe(true);
      return heading.id;
    });
    expect(new Set(labels).size).toBe(2);
  });

  test("shows nothing to non-staff and fetches nothing", async () => {
    setAjaxResponses({ "/t/77.json": statusTopic("") });
    for (const user of [{ staff: false }, null]) {
      const root = await render(
        <template><IcsImportStatus /></template>,
        {
          owner: ownerWith({ "current-user": user }),
        }
      );
      expect(root.querySelector(".ics-import-status")).toBeNull();
    }
    expect(requests).toEqual([]);
  });
});
