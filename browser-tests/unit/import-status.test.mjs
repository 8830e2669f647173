import { describe, expect, test } from "vitest";
import {
  decodeBase64Url,
  isStale,
  readStatusDocument,
  relativeTime,
  statusAttributeFromCooked,
  StatusDocumentError,
  statusDocumentFromCooked,
  statusViewModel,
} from "../../javascripts/discourse/lib/import-status";
import {
  counts,
  statusPostCooked,
  toBase64Url,
} from "../support/status-fixtures";

const NOW = Date.parse("2026-11-23T12:00:00Z");

const document = {
  version: 1,
  generatedAt: "2026-11-23T11:55:00Z",
  feeds: [
    {
      id: "council",
      name: "City council",
      intervalSeconds: 900,
      nextRunAt: "2026-11-23T12:10:00Z",
      lastRun: {
        startedAt: "2026-11-23T11:54:00Z",
        finishedAt: "2026-11-23T11:55:00Z",
        outcome: "partial",
        counts: counts({ created: 2, unchanged: 40, failed: 1 }),
        failures: [
          {
            event: "Budget hearing",
            reason: "Discourse refused the title: too short",
          },
        ],
      },
    },
    {
      id: "sports",
      name: "Sports club",
      intervalSeconds: 3600,
      nextRunAt: null,
      lastRun: {
        startedAt: "2026-11-23T09:00:00Z",
        finishedAt: "2026-11-23T09:01:00Z",
        outcome: "ok",
        counts: counts({ unchanged: 12 }),
        failures: [],
      },
    },
    {
      id: "new-feed",
      name: "",
      intervalSeconds: 600,
      nextRunAt: null,
      lastRun: null,
    },
  ],
};

describe("reading the status post", () => {
  test("finds the status div and skips an event's data-ics-status", () => {
    const cooked = `<div data-ics-event="1" data-ics-status="confirmed"></div>${statusPostCooked(document)}`;
    expect(statusDocumentFromCooked(cooked).feeds.map((f) => f.id)).toEqual([
      "council",
      "sports",
      "new-feed",
    ]);
  });

  test("decodes UTF-8 text in base64url", () => {
    expect(decodeBase64Url(toBase64Url("Zürich ✓ ~~~???"))).toBe(
      "Zürich ✓ ~~~???"
    );
  });

  test.each([
    ["no status div", "<p>nothing here</p>", /no data-ics-status/],
    ["not base64url", '<div data-ics-status="%%%"></div>', /not base64url/],
    [
      "not JSON",
      `<div data-ics-status="${toBase64Url("{oops")}"></div>`,
      /not JSON/,
    ],
    [
      "another version",
      statusPostCooked({ ...document, version: 2 }),
      /unsupported version 2/,
    ],
    [
      "no feeds",
      statusPostCooked({ version: 1, generatedAt: "2026-11-23T11:55:00Z" }),
      /missing/,
    ],
    [
      "a malformed run",
      statusPostCooked({
        ...document,
        feeds: [{ id: "x", lastRun: { outcome: "meh" } }],
      }),
      /feed "x" has a malformed lastRun/,
    ],
  ])("explains an unreadable document: %s", (_name, cooked, message) => {
    expect(() => statusDocumentFromCooked(cooked)).toThrow(StatusDocumentError);
    expect(() => statusDocumentFromCooked(cooked)).toThrow(message);
  });

  test("finds nothing in an empty post", () => {
    expect(statusAttributeFromCooked("")).toBeNull();
  });
});

describe("statusViewModel", () => {
  test("describes each feed with its state, non-zero counts and failures", () => {
    const view = statusViewModel(readStatusDocument(document), NOW);
    expect(view.state).toBe("ready");
    expect(view.feeds[0]).toEqual({
      id: "council",
      name: "City council",
      state: "partial",
      stale: false,
      neverRun: false,
      lastRunAt: "2026-11-23T11:55:00Z",
      nextRunAt: "2026-11-23T12:10:00Z",
      outcome: "partial",
      counts: [
        { key: "created", value: 2 },
        { key: "unchanged", value: 40 },
        { key: "failed", value: 1 },
      ],
      failures: [
        {
          event: "Budget hearing",
          reason: "Discourse refused the title: too short",
        },
      ],
    });
  });

  test("marks a feed stale after more than two intervals without a report", () => {
    const view = statusViewModel(readStatusDocument(document), NOW);
    expect(view.feeds[1]).toMatchObject({ state: "stale", stale: true });
    expect(view.feeds[2]).toMatchObject({
      name: "new-feed",
      state: "never-run",
      neverRun: true,
      counts: [],
    });
  });

  test("stale starts just after two intervals", () => {
    const feed = {
      intervalSeconds: 60,
      lastRun: { finishedAt: "2026-11-23T11:58:00Z" },
    };
    expect(isStale(feed, Date.parse("2026-11-23T12:00:00Z"))).toBe(false);
    expect(isStale(feed, Date.parse("2026-11-23T12:00:01Z"))).toBe(true);
  });

  test("says there is no data yet when the worker has no feeds", () => {
    const view = statusViewModel(
      readStatusDocument({
        version: 1,
        generatedAt: "2026-11-23T11:55:00Z",
        feeds: [],
      }),
      NOW
    );
    expect(view.state).toBe("no-data");
  });
});

describe("relativeTime", () => {
  test.each([
    ["2026-11-23T11:55:00Z", { value: -5, unit: "minute" }],
    ["2026-11-23T12:10:00Z", { value: 10, unit: "minute" }],
    ["2026-11-21T12:00:00Z", { value: -2, unit: "day" }],
    ["2026-11-23T12:00:00Z", { value: 0, unit: "second" }],
  ])("%s", (instant, expected) => {
    expect(relativeTime(Date.parse(instant), NOW)).toEqual(expected);
  });
});
