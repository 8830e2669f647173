import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { silentLogger } from "../../src/core/logger.ts";
import { parseConfig } from "../../src/service/config.ts";
import { createRedisConnections, waitUntilReady } from "../../src/service/redis-connections.ts";
import { startService, type RunningService } from "../../src/service/service.ts";
import { freePort, startRedis, type TestRedis } from "../support/redis.ts";
import { fakeSync } from "./fakes.ts";
import { waitFor } from "../support/wait.ts";

let redis: TestRedis;
let service: RunningService;
const token = "adm-outage-1c9e";
const auth = { authorization: `Bearer ${token}` };

before(async () => {
  redis = await startRedis();
  const config = parseConfig(
    [
      "http: { port: 0, adminToken: { env: T } }",
      "worker: { schedulerCheckSeconds: 5 }",
      "sites: [{ id: forum, baseUrl: 'http://127.0.0.1:9', apiKey: { env: K } }]",
      "feeds: [{ id: out, url: 'https://example.org/out.ics', categoryId: 3, schedule: 1h }]",
    ].join("\n"),
    "outage.yml",
    { env: { T: token, K: "key", REDIS_URL: redis.url } },
  );
  service = await startService(config, {
    logger: silentLogger(),
    sync: fakeSync().fn,
    checkSite: async () => ({ reachable: true, status: 200 }),
    statusDebounceMs: 50,
  });
});
after(async () => {
  await service.close();
  await redis.stop();
});

test("while Redis is down the API answers 503 at once; afterwards it recovers by itself", async () => {
  await waitFor("first run", async () => {
    const r = await fetch(`${service.url}/api/feeds/out/runs`, { headers: auth });
    return r.ok && ((await r.json()) as unknown[]).length > 0;
  });
  await redis.stop();
  const started = Date.now();
  const res = await fetch(`${service.url}/api/feeds`, { headers: auth });
  assert.equal(res.status, 503);
  assert.deepEqual(await res.json(), {
    error: "unavailable",
    message: "redis is not reachable; try again shortly",
  });
  const health = await fetch(`${service.url}/api/health/detailed`);
  assert.equal(health.status, 503);
  assert.equal(((await health.json()) as { redis: { ok: boolean } }).redis.ok, false);
  assert.ok(Date.now() - started < 4000, "answers do not hang");
  assert.equal((await fetch(`${service.url}/api/health`)).status, 200, "liveness stays up");

  await redis.restart();
  await waitFor(
    "API back",
    async () => (await fetch(`${service.url}/api/feeds`, { headers: auth })).status === 200,
    20_000,
  );
  // The restarted Redis is empty: the schedule comes back and the feed runs again.
  await waitFor(
    "run after the outage",
    async () => {
      const r = await fetch(`${service.url}/api/feeds/out/runs`, { headers: auth });
      return r.ok && ((await r.json()) as unknown[]).length > 0;
    },
    20_000,
  );
});

test("a Redis that never answers is reported with the reason, not only the time waited", async () => {
  const conns = createRedisConnections(`redis://127.0.0.1:${await freePort()}`, silentLogger());
  try {
    await assert.rejects(waitUntilReady(conns.queue, 300), /redis not ready after 300 ms: .*ECONNREFUSED/);
  } finally {
    await conns.close();
  }
});
