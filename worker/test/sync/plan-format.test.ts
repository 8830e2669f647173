import { test } from "node:test";
import assert from "node:assert/strict";
import { formatWhen } from "../../src/sync/plan-format.ts";

test("a timed event's start is shown in the zone it was written in", () => {
  const when = formatWhen({
    kind: "timed",
    start: "2026-03-29T00:30:00.000Z",
    end: "2026-03-29T01:30:00.000Z",
    timezone: "Europe/Berlin",
  });
  // 00:30 UTC on the night clocks go forward in Berlin is 01:30 CET.
  assert.equal(when, "2026-03-29 01:30");
  assert.equal(
    formatWhen({
      kind: "timed",
      start: "2026-07-01T00:30:00.000Z",
      end: "2026-07-01T01:00:00.000Z",
      timezone: "Europe/Berlin",
    }),
    "2026-07-01 02:30",
  );
});

test("an all-day event shows its date, and no time means no column text", () => {
  assert.equal(
    formatWhen({ kind: "allDay", startDate: "2026-12-31", endDate: "2027-01-02" }),
    "2026-12-31 all day",
  );
  assert.equal(formatWhen(undefined), "");
});
