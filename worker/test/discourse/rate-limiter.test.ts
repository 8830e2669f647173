import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Redis } from "ioredis";
import { createSiteRateLimiter, rateLimitKeys } from "../../src/discourse/rate-limiter.ts";
import { startRedis, type TestRedis } from "../support/redis.ts";

let server: TestRedis;
let redis: Redis;
before(async () => {
  server = await startRedis();
  redis = server.client();
});
after(async () => {
  redis.disconnect();
  await server.stop();
});

test("the window admits the limit at once, then makes the next caller wait", async () => {
  const a = createSiteRateLimiter(redis, "s1", 5);
  const b = createSiteRateLimiter(redis, "s1", 5); // another process, same site
  const t0 = Date.now();
  for (let i = 0; i < 3; i++) await a.acquire();
  for (let i = 0; i < 2; i++) await b.acquire();
  assert.ok(Date.now() - t0 < 500);
  assert.equal(await redis.zcard(rateLimitKeys("dics", "s1").window), 5);
  const ac = new AbortController();
  const waiting = a.acquire(ac.signal);
  setTimeout(() => ac.abort(new Error("stop")), 150);
  await assert.rejects(waiting, /stop/);
  assert.ok(Date.now() - t0 >= 150);
});

test("sites are independent", async () => {
  const other = createSiteRateLimiter(redis, "s2", 1);
  await other.acquire();
  const t0 = Date.now();
  await createSiteRateLimiter(redis, "s3", 1).acquire();
  assert.ok(Date.now() - t0 < 200);
});

test("pauseFor holds every limiter of the site, and never shortens a pause", async () => {
  const a = createSiteRateLimiter(redis, "s4", 100);
  await a.pauseFor(400);
  await a.pauseFor(50);
  const t0 = Date.now();
  await createSiteRateLimiter(redis, "s4", 100).acquire();
  const waited = Date.now() - t0;
  assert.ok(waited >= 300, `waited ${waited} ms`);
});

test("an unlimited site still honours a pause", async () => {
  const a = createSiteRateLimiter(redis, "s5", 0);
  const t0 = Date.now();
  await a.acquire();
  assert.ok(Date.now() - t0 < 100);
  await a.pauseFor(200);
  await a.acquire();
  assert.ok(Date.now() - t0 >= 180);
});
