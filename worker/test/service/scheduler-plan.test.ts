import { test } from "node:test";
import assert from "node:assert/strict";
import { planSchedulers } from "../../src/service/scheduler-plan.ts";
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
