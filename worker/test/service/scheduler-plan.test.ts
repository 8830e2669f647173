import { test } from "node:test";
import assert from "node:assert/strict";
import { planSchedulers } from "../../src/service/scheduler-plan.ts";
import { parseSchedule, repeatOptions, typicalIntervalSeconds } from "../../src/service/schedule.ts";
import { feed } from "./fakes.ts";

test("missing schedulers are created, matching ones left alone", () => {
  const plan = planSchedulers([{ key: "feed:a", every: 3_600_000 }], [feed("a"), feed("b")]);
  assert.deepEqual(
    plan.upsert.map((f) => f.id),
    ["b"],
  );
  assert.deepEqual(plan.remove, []);
});

test("a changed interval or cron expression is upserted again", () => {
  const plan = planSchedulers(
    [
      { key: "feed:a", every: 60_000 },
      { key: "feed:b", pattern: "0 * * * *", tz: "UTC" },
      { key: "feed:c", pattern: "0 * * * *", tz: "Europe/Berlin" },
    ],
    [
      feed("a"),
      feed("b", { schedule: { cron: "0 * * * *" }, timezone: "Europe/Berlin" }),
      feed("c", { schedule: { cron: "0 * * * *" }, timezone: "Europe/Berlin" }),
    ],
  );
  assert.deepEqual(
    plan.upsert.map((f) => f.id),
    ["a", "b"],
  );
});

test("schedulers of deleted feeds are removed, foreign schedulers are not touched", () => {
  const plan = planSchedulers(
    [
      { key: "feed:gone", every: 1000 },
      { key: "export:x", every: 1000 },
    ],
    [],
  );
  assert.deepEqual(plan.remove, ["feed:gone"]);
});

test("cron schedules without a feed timezone run in UTC, not in the host's local time", () => {
  assert.deepEqual(repeatOptions({ cron: "0 6 * * *" }), { pattern: "0 6 * * *", tz: "UTC" });
  assert.deepEqual(repeatOptions({ cron: "0 6 * * *" }, "Europe/Berlin"), {
    pattern: "0 6 * * *",
    tz: "Europe/Berlin",
  });
  assert.deepEqual(repeatOptions({ everySeconds: 900 }), { every: 900_000 });
});

test("the typical interval of a cron schedule is the gap between its next two runs", () => {
  const from = new Date("2026-11-23T10:00:00Z");
  assert.equal(typicalIntervalSeconds({ cron: "*/20 * * * *" }, undefined, from), 1200);
  assert.equal(typicalIntervalSeconds({ cron: "0 6 * * *" }, "Europe/Berlin", from), 86_400);
  assert.equal(typicalIntervalSeconds({ everySeconds: 300 }), 300);
});

test("schedule strings: units, plain seconds, cron, and the minimum", () => {
  assert.deepEqual(parseSchedule("15m"), { everySeconds: 900 });
  assert.deepEqual(parseSchedule("2h"), { everySeconds: 7200 });
  assert.deepEqual(parseSchedule("1d"), { everySeconds: 86_400 });
  assert.deepEqual(parseSchedule(120), { everySeconds: 120 });
  assert.deepEqual(parseSchedule("0 */2 * * *"), { cron: "0 */2 * * *" });
  assert.match((parseSchedule("30s") as { error: string }).error, /at least 60 seconds/);
  assert.match((parseSchedule("61 * * * *") as { error: string }).error, /invalid cron expression/);
});
