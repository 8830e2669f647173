import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Redis } from "ioredis";
import { startRedis, type TestRedis } from "../support/redis.ts";
import { exportConfig, record, timedEvent } from "./fixtures.ts";
import { startHarness, type Harness } from "./harness.ts";

describe("serving feeds while Redis is away", () => {
  let server: TestRedis;
  let redis: Redis;
  let h: Harness;

  before(async () => {
    server = await startRedis();
    redis = server.client();
    redis.on("error", () => undefined);
    h = await startHarness(redis, [
      exportConfig({ name: "events", categoryIds: [3] }),
      exportConfig({ name: "cold", categoryIds: [5] }),
    ]);
    h.records.push(
      record(timedEvent("a@src", "2026-04-01T17:00:00.000Z", "2026-04-01T19:00:00.000Z", "UTC"), {
        categoryId: 3,
      }),
    );
    await h.ctx.rebuild("events");
  });

  after(async () => {
    await server.restart();
    await h.close();
    redis.disconnect();
    await server.stop();
  });

  it("keeps serving the copy it served last, at once, and fails fast for a feed it never served", async () => {
    const warm = await h.app.inject({ url: "/ics/events.ics" });
    assert.equal(warm.statusCode, 200);
    await server.stop();
    const started = Date.now();
    const during = await h.app.inject({ url: "/ics/events.ics" });
    assert.equal(during.statusCode, 200);
    assert.equal(during.headers.etag, warm.headers.etag);
    assert.equal(during.body, warm.body);
    const cold = await h.app.inject({ url: "/ics/cold.ics" });
    assert.equal(cold.statusCode, 503);
    assert.equal(cold.headers["retry-after"], "60");
    assert.ok(Date.now() - started < 5_000, "requests waited for Redis");
  });
});
