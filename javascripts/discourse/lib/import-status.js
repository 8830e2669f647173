/*
 * Reading the worker's status document (StatusDocument, version 1) and turning it into what the
 * staff widget shows. Pure: the caller fetches and passes the clock.
 */

export const COUNT_KEYS = [
  "created",
  "updated",
  "adopted",
  "unchanged",
  "cancelled",
  "removed",
  "skipped",
  "failed",
];
const OUTCOMES = ["ok", "partial", "failed", "not-modified"];
const MAX_FAILURES = 20;

export class StatusDocumentError extends Error {}

/** The base64url JSON in the status post's `<div data-ics-status="…">` (not an event's status). */
export function statusAttributeFromCooked(cookedHtml) {
  const tags = String(cookedHtml ?? "").match(/<div\b[^>]*>/gi) ?? [];
  for (const tag of tags) {
    const match = /\sdata-ics-status="([^"]*)"/i.exec(tag);
    if (match && !/\sdata-ics-event=/i.test(tag)) {
      return match[1];
    }
  }
  return null;
}

export function decodeBase64Url(value) {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(value)) {
    throw new StatusDocumentError("not base64url");
  }
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64.padEnd(Math.ceil(base64.length / 4) * 4, "=");
  let binary;
  try {
    binary = atob(padded);
  } catch {
    throw new StatusDocumentError("not base64url");
  }
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new StatusDocumentError("not UTF-8 text");
  }
}

function isInstant(value) {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}

function readCounts(counts) {
  return Object.fromEntries(
    COUNT_KEYS.map((key) => {
      const value = counts?.[key];
      return [
        key,
        Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0,
      ];
    })
  );
}

function readRun(run, feedId) {
  if (run === null || run === undefined) {
    return null;
  }
  if (
    typeof run !== "object" ||
    !isInstant(run.finishedAt) ||
    !OUTCOMES.includes(run.outcome)
  ) {
    throw new StatusDocumentError(`feed "${feedId}" has a malformed lastRun`);
  }
  return {
    startedAt: isInstant(run.startedAt) ? run.startedAt : run.finishedAt,
    finishedAt: run.finishedAt,
    outcome: run.outcome,
    counts: readCounts(run.counts),
    failures: (Array.isArray(run.failures) ? run.failures : [])
      .filter((failure) => typeof failure?.reason === "string")
      .slice(0, MAX_FAILURES)
      .map((failure) => ({
        event: typeof failure.event === "string" ? failure.event : null,
        reason: failure.reason,
      })),
  };
}

/** Validates a parsed document (from the topic or /api/status). Throws StatusDocumentError. */
export function readStatusDocument(value) {
  if (!value || typeof value !== "object") {
    throw new StatusDocumentError("not a JSON object");
  }
  if (value.version !== 1) {
    throw new StatusDocumentError(
      `unsupported version ${JSON.stringify(value.version)}`
    );
  }
  if (!isInstant(value.generatedAt) || !Array.isArray(value.feeds)) {
    throw new StatusDocumentError("missing generatedAt or feeds");
  }
  return {
    generatedAt: value.generatedAt,
    feeds: value.feeds.map((feed, index) => {
      if (!feed || typeof feed.id !== "string") {
        throw new StatusDocumentError(`feed #${index + 1} has no id`);
      }
      return {
        id: feed.id,
        name: typeof feed.name === "string" && feed.name ? feed.name : feed.id,
        intervalSeconds:
          Number.isFinite(feed.intervalSeconds) && feed.intervalSeconds > 0
            ? feed.intervalSeconds
            : null,
        nextRunAt: isInstant(feed.nextRunAt) ? feed.nextRunAt : null,
        lastRun: readRun(feed.lastRun, feed.id),
      };
    }),
  };
}

export function statusDocumentFromCooked(cookedHtml) {
  const attribute = statusAttributeFromCooked(cookedHtml);
  if (attribute === null) {
    throw new StatusDocumentError("the status post has no data-ics-status");
  }
  let json;
  try {
    json = JSON.parse(decodeBase64Url(attribute));
  } catch (error) {
    throw error instanceof StatusDocumentError
      ? error
      : new StatusDocumentError("not JSON");
  }
  return readStatusDocument(json);
}

/** Stale: nothing reported for more than two of the feed's intervals. */
export function isStale(feed, nowMs) {
  if (!feed.intervalSeconds) {
    return false;
  }
  const reference = feed.lastRun ? Date.parse(feed.lastRun.finishedAt) : null;
  return (
    reference !== null && nowMs - reference > 2 * feed.intervalSeconds * 1000
  );
}

/** What the widget renders: one row per feed, states decided here rather than in the template. */
export function statusViewModel(document, nowMs) {
  const feeds = document.feeds.map((feed) => {
    const run = feed.lastRun;
    const stale = isStale(feed, nowMs);
    return {
      id: feed.id,
      name: feed.name,
      state: !run ? "never-run" : stale ? "stale" : run.outcome,
      stale,
      neverRun: !run,
      lastRunAt: run?.finishedAt ?? null,
      nextRunAt: feed.nextRunAt,
      outcome: run?.outcome ?? null,
      counts: run
        ? COUNT_KEYS.filter((key) => run.counts[key] > 0).map((key) => ({
            key,
            value: run.counts[key],
          }))
        : [],
      failures: run?.failures ?? [],
    };
  });
  return {
    state: feeds.length === 0 ? "no-data" : "ready",
    generatedAt: document.generatedAt,
    feeds,
  };
}

const UNITS = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

/** The largest whole unit between two instants, signed (negative is in the past). */
export function relativeTime(instantMs, nowMs) {
  const seconds = Math.round((instantMs - nowMs) / 1000);
  const [unit, size] =
    UNITS.find(([, unitSeconds]) => Math.abs(seconds) >= unitSeconds) ??
    UNITS.at(-1);
  return { value: Math.trunc(seconds / size), unit };
}
