import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { bullPrefix, EXPORT_QUEUE } from "../../src/export/queue.ts";
import { createExportContext } from "../../src/export/context.ts";
import { openExportQueue } from "../../src/export/queue.ts";
import { reconcileSchedulers, startExportWorker } from "../../src/export/worker.ts";
import { startRedis, type TestRedis } from "../support/redis.ts";
import { allDayEvent, exportConfig, record, timedEvent } from "./fixtures.ts";
import { SITE, startHarness, type Harness } from "./harness.ts";
import { readWithIcalJs } from "./read-back.ts";
import { waitFor } from "../support/wait.ts";

const until = <T>(what: string, fn: () => Promise<T | undefined>) => waitFor(what, fn, 15_000, 100);

const ADMIN = { authorization: "Bearer admin-token-for-tests" };

describe("export worker", () => {
  let server: TestRedis;
  let redis: Redis;
  let h: Harness;
  let worker: { close(): Promise<void> };

  before(async () => {
    server = await startRedis();
    redis = server.client();
    h = await startHarness(redis, [exportConfig({ name: "events", categoryIds: [3], refreshMinutes: 30 })], {
      rebuildDebounceMs: 200,
    });
    h.records.push(
      record(
        timedEvent("april@src", "2026-04-01T17:00:00.000Z", "2026-04-01T19:00:00.000Z", "Europe/Berlin"),
        { categoryId: 3 },
      ),
      record(allDayEvent("june@src", "2026-06-10", "2026-06-12"), { categoryId: 5 }),
      record(timedEvent("staff@src", "2026-06-11T10:00:00.000Z", "2026-06-11T11:00:00.000Z", "UTC"), {
        categoryId: 2,
      }),
    );
    worker = startExportWorker(h.deps);
  });

  after(async () => {
    await worker.close();
    await h.close();
    redis.disconnect();
    await server.stop();
  });

  it("builds every export at start and schedules it every refreshMinutes", async () => {
    const res = await until("first build", async () => {
      const r = await h.app.inject({ url: "/ics/events.ics" });
      return r.statusCode === 200 ? r : undefined;
    });
    assert.deepEqual(
      readWithIcalJs(res.body).map((e) => e.uid),
      ["april@src"],
    );
    const connection = server.client();
    const queue = new Queue(EXPORT_QUEUE, { connection, prefix: bullPrefix(h.deps.redisPrefix) });
    try {
      const schedulers = await queue.getJobSchedulers(0, -1);
      const mine = schedulers.find((s) => s.key === "export:events");
      assert.equal(Number(mine?.every), 30 * 60_000);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it("rebuilds an export shortly after a signed webhook", async () => {
    await until("first build", async () =>
      (await h.app.inject({ url: "/ics/events.ics" })).statusCode === 200 ? true : undefined,
    );
    h.records.push(
      record(timedEvent("added@src", "2026-04-20T17:00:00.000Z", "2026-04-20T18:00:00.000Z", "UTC"), {
        categoryId: 3,
      }),
    );
    const body = JSON.stringify({ topic: { id: 77, category_id: 3 } });
    const hook = await h.app.inject({
      method: "POST",
      url: "/webhooks/discourse",
      payload: body,
      headers: {
        "content-type": "application/json",
        "x-discourse-event": "topic_created",
        "x-discourse-event-id": "9001",
        "x-discourse-event-signature": `sha256=${createHmac("sha256", SITE.webhookSecret!).update(body).digest("hex")}`,
      },
    });
    assert.equal(hook.statusCode, 202);
    const uids = await until("rebuild", async () => {
      const r = await h.app.inject({ url: "/ics/events.ics" });
      const got = readWithIcalJs(r.body).map((e) => e.uid);
      return got.includes("added@src") ? got : undefined;
    });
    assert.deepEqual(uids.sort(), ["added@src", "april@src"]);
  });

  it("runs a one-off export for a date range as a task with a download", async () => {
    const denied = await h.app.inject({ method: "POST", url: "/api/exports", payload: {} });
    assert.equal(denied.statusCode, 401);
    const wrong = await h.app.inject({
      method: "POST",
      url: "/api/exports",
      payload: {},
      headers: { authorization: "Bearer nope" },
    });
    assert.equal(wrong.statusCode, 403);
    const bad = await h.app.inject({
      method: "POST",
      url: "/api/exports",
      payload: { from: "yesterday" },
      headers: ADMIN,
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().message, /^from:/);

    const created = await h.app.inject({
      method: "POST",
      url: "/api/exports",
      payload: { categoryIds: [], from: "2026-05-01", to: "2026-12-31" },
      headers: ADMIN,
    });
    assert.equal(created.statusCode, 202);
    const { taskUrl, id } = created.json() as { taskUrl: string; id: string };
    assert.equal(taskUrl, `https://ics.example.org/api/exports/${id}`);
    const path = new URL(taskUrl).pathname;
    const done = await until("task", async () => {
      const r = (await h.app.inject({ url: path, headers: ADMIN })).json() as {
        state: string;
        downloadUrl?: string;
      };
      return r.state === "completed" ? r : undefined;
    });
    assert.equal(done.downloadUrl, `https://ics.example.org/api/exports/${id}/download`);
    const unauth = await h.app.inject({ url: new URL(done.downloadUrl!).pathname });
    assert.equal(unauth.statusCode, 401);
    const file = await h.app.inject({ url: new URL(done.downloadUrl!).pathname, headers: ADMIN });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers["content-type"], "text/calendar; charset=utf-8");
    // Only the June event: April is outside the range, the staff category is left out without includePrivate.
    assert.deepEqual(
      readWithIcalJs(file.body).map((e) => e.uid),
      ["june@src"],
    );
  });

  it("includes private categories in a one-off export only when the admin asks, and says when refused", async () => {
    const run = async (payload: object) => {
      const created = await h.app.inject({ method: "POST", url: "/api/exports", payload, headers: ADMIN });
      assert.equal(created.statusCode, 202);
      const path = new URL((created.json() as { taskUrl: string }).taskUrl).pathname;
      return until("task", async () => {
        const r = (await h.app.inject({ url: path, headers: ADMIN })).json() as {
          state: string;
          downloadUrl?: string;
          message?: string;
        };
        return r.state === "completed" || r.state === "refused" ? r : undefined;
      });
    };
    const withPrivate = await run({ from: "2026-05-01", includePrivate: true });
    const file = await h.app.inject({ url: new URL(withPrivate.downloadUrl!).pathname, headers: ADMIN });
    assert.deepEqual(
      readWithIcalJs(file.body)
        .map((e) => e.uid)
        .sort(),
      ["june@src", "staff@src"],
    );
    const refused = await run({ categoryIds: [2] });
    assert.equal(refused.state, "refused");
    assert.match(refused.message ?? "", /private category 2/);
  });

  it("lists the exports with their last build for admins, without tokens", async () => {
    assert.equal((await h.app.inject({ url: "/api/exports" })).statusCode, 401);
    const res = await h.app.inject({ url: "/api/exports", headers: ADMIN });
    assert.equal(res.statusCode, 200);
    const [only] = (res.json() as { exports: Record<string, unknown>[] }).exports;
    assert.equal(only!.name, "events");
    assert.equal(only!.url, "https://ics.example.org/ics/events.ics");
    assert.equal(only!.needsToken, false);
    assert.ok(typeof only!.builtAt === "string" && only!.builtAt.length > 0);
    assert.equal(typeof only!.eventCount, "number");
  });

  it("re-creates missing schedulers, updates changed ones, removes stale ones, leaves the rest alone", async () => {
    const deps = {
      ...h.deps,
      redisPrefix: "sched",
      exports: [
        exportConfig({ name: "a", refreshMinutes: 10 }),
        exportConfig({ name: "b", refreshMinutes: 20 }),
      ],
    };
    const { queue, close } = openExportQueue(redis, "sched");
    try {
      await queue.upsertJobScheduler("export:old", { every: 60_000 }, { name: "rebuild" });
      await reconcileSchedulers(createExportContext(deps), queue);
      const first = new Map((await queue.getJobSchedulers(0, -1)).map((s) => [s.key, s]));
      assert.deepEqual([...first.keys()].sort(), ["export:a", "export:b"]);
      await queue.removeJobScheduler("export:a");
      const changed = {
        ...deps,
        exports: [deps.exports[0]!, exportConfig({ name: "b", refreshMinutes: 30 })],
      };
      await reconcileSchedulers(createExportContext(changed), queue);
      const second = new Map((await queue.getJobSchedulers(0, -1)).map((s) => [s.key, s]));
      assert.equal(Number(second.get("export:a")?.every), 10 * 60_000);
      assert.equal(Number(second.get("export:b")?.every), 30 * 60_000);
      const third = await (async () => {
        await reconcileSchedulers(createExportContext(changed), queue);
        return new Map((await queue.getJobSchedulers(0, -1)).map((s) => [s.key, s]));
      })();
      assert.equal(third.get("export:b")?.next, second.get("export:b")?.next);
    } finally {
      await close();
    }
  });

  it("answers 404 for a task that does not exist", async () => {
    const res = await h.app.inject({ url: "/api/exports/123456", headers: ADMIN });
    assert.equal(res.statusCode, 404);
  });
});
