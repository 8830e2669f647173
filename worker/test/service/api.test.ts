import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import type { FastifyInstance } from "fastify";
import { createLogger } from "../../src/core/logger.ts";
import { parseConfig, type ServiceConfig } from "../../src/service/config.ts";
import { createFeedRegistry, redactFeed, type FeedRegistry } from "../../src/service/feed-registry.ts";
import { apiFeedsKey } from "../../src/service/keys.ts";
import { buildApiServer } from "../../src/service/http/server.ts";
import { createMetrics } from "../../src/service/metrics.ts";
import {
  createRedisConnections,
  waitUntilReady,
  type RedisConnections,
} from "../../src/service/redis-connections.ts";
import { createRunHistory, type RunHistory } from "../../src/service/run-history.ts";
import { currentStatus } from "../../src/service/status-source.ts";
import { createSyncQueue, reconcileSchedulers, type SyncQueue } from "../../src/service/sync-queue.ts";
import { startSyncWorker, type SyncWorker } from "../../src/service/sync-worker.ts";
import { startRedis, type TestRedis } from "../support/redis.ts";
import { fakeSync, memoryLock, report, sleep } from "./fakes.ts";
import { waitFor } from "../support/wait.ts";

const SECRETS = {
  SITE_KEY: "sk-4f1d9c0e7b-site",
  ADMIN_TOKEN: "adm-77c1e0a9f3-token",
  FEED_PASSWORD: "pw-0b5e9a3c1d-feed",
  FEED_BEARER: "Bearer hdr-8d2f6b4a0c",
  API_FEED_PASSWORD: "pw-api-5c3b1a9e7d",
};

const CONFIG = `
http:
  adminToken: { env: ADMIN_TOKEN }
  statusEndpoint: true
  corsOrigins: [https://forum.example.org]
sites:
  - id: forum
    baseUrl: https://forum.example.org
    apiKey: { env: SITE_KEY }
feeds:
  - id: file-feed
    name: File feed
    url: https://user:${"{{"}pw{{}}@example.org/cal.ics
    basicAuth: { username: bob, password: { env: FEED_PASSWORD } }
    headers: { Authorization: { env: FEED_BEARER }, X-Plain: visible }
    categoryId: 3
`.replace("{{pw{{}}", "urlpass-9a8b7c");

let redis: TestRedis;
let conns: RedisConnections;
let app: FastifyInstance;
let queue: SyncQueue;
let worker: SyncWorker;
let registry: FeedRegistry;
let history: RunHistory;
let config: ServiceConfig;
const logLines: string[] = [];
const bodies: string[] = [];
const sync = fakeSync();
let feedsChangedCalls = 0;

const auth = { authorization: `Bearer ${SECRETS.ADMIN_TOKEN}` };

async function call(
  method: "GET" | "POST" | "PUT" | "DELETE",
  url: string,
  opts: { headers?: Record<string, string>; body?: unknown } = {},
) {
  const res = await app.inject({
    method,
    url,
    headers: opts.headers ?? {},
    ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
  });
  bodies.push(res.body, JSON.stringify(res.headers));
  return res;
}

before(async () => {
  redis = await startRedis();
  const env = { ...SECRETS };
  config = parseConfig(CONFIG, "api.yml", { env });
  const sink = new PassThrough();
  sink.on("data", (chunk: Buffer) => logLines.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
  const logger = createLogger({ format: "json", level: "debug", destination: sink });
  conns = createRedisConnections(redis.url, logger);
  await waitUntilReady(conns.queue);
  const prefix = "api";
  queue = createSyncQueue(conns.queue, prefix);
  history = createRunHistory(conns.state, prefix);
  registry = createFeedRegistry({
    redis: conns.state,
    prefix,
    fileFeeds: config.feeds,
    siteIds: ["forum"],
    secrets: { env, readFile: () => "", allowInline: false },
  });
  const metrics = createMetrics(() => queue.getJobCounts());
  sync.behave.set("file-feed", async (o) => {
    o.onProgress({ phase: "writing", done: 1, total: 2 });
    await sleep(200);
    return report("file-feed", "ok", 2);
  });
  worker = startSyncWorker({
    connection: conns.worker,
    prefix,
    concurrency: 2,
    logger,
    processor: {
      getFeed: async (id) => (await registry.get(id))?.feed,
      getSite: (id) => config.sites.find((s) => s.id === id),
      sync: async (f, s, o) => {
        logger.info({ site: s, feedId: f.id }, "sync called");
        return await sync.fn(f, s, o);
      },
      withFeedLock: memoryLock(),
      history,
      onRun: (run) => metrics.recordRun(run),
    },
  });
  const settings = { attempts: 1, backoffSeconds: 1, keepCompletedJobs: 10, keepFailedJobs: 10 };
  app = await buildApiServer({
    config,
    logger,
    feeds: registry,
    history,
    queue,
    queueSettings: settings,
    metrics,
    pingRedis: async () => {
      await conns.queue.ping();
    },
    checkSite: async () => ({ reachable: true, status: 200 }),
    status: () => currentStatus(registry, history, queue),
    feedsChanged: async () => {
      feedsChangedCalls++;
      await reconcileSchedulers(
        queue,
        (await registry.list()).map((e) => e.feed),
        settings,
        logger,
      );
    },
  });
  await app.ready();
});

after(async () => {
  await app.close();
  await worker.close();
  await queue.close();
  await conns.close();
  await redis.stop();
});

test("health answers without a token", async () => {
  const res = await call("GET", "/api/health");
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { status: "ok" });
});

test("admin endpoints: 401 without a token, 403 with a wrong one, 200 with the right one", async () => {
  for (const url of ["/api/feeds", "/api/feeds/file-feed/runs", "/api/jobs/1"]) {
    const none = await call("GET", url);
    assert.equal(none.statusCode, 401, url);
    assert.match(String(none.headers["www-authenticate"]), /^Bearer/);
    const wrong = await call("GET", url, { headers: { authorization: "Bearer nope" } });
    assert.equal(wrong.statusCode, 403, url);
    const almost = await call("GET", url, { headers: { authorization: `Bearer ${SECRETS.ADMIN_TOKEN}x` } });
    assert.equal(almost.statusCode, 403, url);
  }
  assert.equal((await call("POST", "/api/feeds/file-feed/sync")).statusCode, 401);
  assert.equal(
    (await call("DELETE", "/api/feeds/file-feed", { headers: { authorization: "Basic abc" } })).statusCode,
    401,
  );
  assert.equal((await call("GET", "/api/feeds", { headers: auth })).statusCode, 200);
});

test("feeds are listed with secrets redacted", async () => {
  const res = await call("GET", "/api/feeds", { headers: auth });
  const [entry] = res.json() as {
    origin: string;
    feed: { source: { url: string; headers: Record<string, string>; basicAuth: { password: string } } };
  }[];
  assert.equal(entry!.origin, "file");
  assert.equal(entry!.feed.source.basicAuth.password, "[redacted]");
  assert.equal(entry!.feed.source.headers.Authorization, "[redacted]");
  assert.equal(entry!.feed.source.headers["X-Plain"], "visible");
  assert.equal(entry!.feed.source.url, "https://example.org/cal.ics");
});

test("a private calendar link's token is masked in the feed the API shows", () => {
  const feed = config.feeds[0]!;
  const url = "https://calendar.example.org/ical/private-0123456789abcdef/basic.ics?token=s3cret&lang=en";
  const shown = redactFeed({ ...feed, source: { url } }).source.url;
  assert.equal(shown, "https://calendar.example.org/ical/***/basic.ics?token=***&lang=en");
});

test("a manual sync answers 202 with a job URL that reports state, progress and result", async () => {
  const res = await call("POST", "/api/feeds/file-feed/sync", { headers: auth });
  assert.equal(res.statusCode, 202);
  const { url, jobId } = res.json() as { url: string; jobId: string };
  assert.equal(res.headers.location, url);
  assert.equal(url, `/api/jobs/${jobId}`);
  const again = await call("POST", "/api/feeds/file-feed/sync", { headers: auth });
  assert.equal((again.json() as { jobId: string }).jobId, jobId, "a pending manual sync is reused");
  const job = await waitFor("job completed", async () => {
    const r = await call("GET", url, { headers: auth });
    const body = r.json() as { state: string; createdAt: string; finishedAt: string };
    return body.state === "completed" ? body : undefined;
  });
  assert.deepEqual(job, {
    id: jobId,
    feedId: "file-feed",
    trigger: "manual",
    state: "completed",
    progress: { phase: "writing", done: 1, total: 2 },
    attemptsMade: 1,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    result: {
      feedId: "file-feed",
      outcome: "ok",
      counts: {
        created: 2,
        updated: 0,
        adopted: 0,
        unchanged: 0,
        cancelled: 0,
        removed: 0,
        skipped: 0,
        failed: 0,
      },
      failures: 0,
    },
  });
  const runs = await call("GET", "/api/feeds/file-feed/runs", { headers: auth });
  const list = runs.json() as { outcome: string; trigger: string; counts: { created: number } }[];
  assert.equal(list[0]!.outcome, "ok");
  assert.equal(list[0]!.counts.created, 2);
  assert.equal((await call("GET", "/api/jobs/does-not-exist", { headers: auth })).statusCode, 404);
  assert.equal((await call("POST", "/api/feeds/nope/sync", { headers: auth })).statusCode, 404);
});

test("API feeds: create, validation problems with paths, read-only file feeds, update and delete", async () => {
  const bad = await call("POST", "/api/feeds", {
    headers: auth,
    body: { id: "has space", url: "ftp://x", categoryId: "three", schedule: "often" },
  });
  assert.equal(bad.statusCode, 422);
  const problems = (bad.json() as { problems: { path: string }[] }).problems.map((p) => p.path).sort();
  assert.deepEqual(problems, ["categoryId", "id", "schedule", "url"]);
  const missing = await call("POST", "/api/feeds", {
    headers: auth,
    body: { id: "no-category", url: "https://example.org/x.ics" },
  });
  assert.deepEqual((missing.json() as { problems: unknown[] }).problems, [
    { path: "categoryId", message: "required (expected number)" },
  ]);

  const inline = await call("POST", "/api/feeds", {
    headers: auth,
    body: {
      id: "club",
      url: "https://example.org/club.ics",
      categoryId: 4,
      basicAuth: { username: "u", password: "inline" },
    },
  });
  assert.equal(inline.statusCode, 422);
  assert.match(inline.body, /basicAuth\.password/);

  const before = feedsChangedCalls;
  const created = await call("POST", "/api/feeds", {
    headers: auth,
    body: {
      id: "club",
      url: "https://example.org/club.ics",
      categoryId: 4,
      schedule: "2h",
      basicAuth: { username: "u", password: { env: "API_FEED_PASSWORD" } },
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(feedsChangedCalls, before + 1);
  const view = created.json() as {
    origin: string;
    feed: { siteId: string; schedule: unknown; source: { basicAuth: { password: string } } };
  };
  assert.equal(view.origin, "api");
  assert.equal(view.feed.siteId, "forum");
  assert.deepEqual(view.feed.schedule, { everySeconds: 7200 });
  assert.equal(view.feed.source.basicAuth.password, "[redacted]");
  assert.equal((await registry.get("club"))!.feed.source.basicAuth!.password, SECRETS.API_FEED_PASSWORD);
  const schedulers = await queue.getJobSchedulers(0, -1);
  assert.ok(schedulers.some((s) => s.key === "feed:club" && s.every === 7_200_000));

  assert.equal(
    (
      await call("POST", "/api/feeds", {
        headers: auth,
        body: { id: "club", url: "https://e.org/x.ics", categoryId: 4 },
      })
    ).statusCode,
    409,
  );
  assert.equal(
    (
      await call("PUT", "/api/feeds/file-feed", {
        headers: auth,
        body: { url: "https://e.org/x.ics", categoryId: 4 },
      })
    ).statusCode,
    409,
  );
  assert.equal((await call("DELETE", "/api/feeds/file-feed", { headers: auth })).statusCode, 409);

  const updated = await call("PUT", "/api/feeds/club", {
    headers: auth,
    body: { url: "https://example.org/club2.ics", categoryId: 5 },
  });
  assert.equal(updated.statusCode, 200, updated.body);
  assert.equal((updated.json() as { feed: { categoryId: number } }).feed.categoryId, 5);
  assert.equal(
    (await call("GET", "/api/feeds/club", { headers: auth })).json().feed.source.url,
    "https://example.org/club2.ics",
  );

  assert.equal((await call("DELETE", "/api/feeds/club", { headers: auth })).statusCode, 204);
  assert.equal((await call("GET", "/api/feeds/club", { headers: auth })).statusCode, 404);
  assert.ok(!(await queue.getJobSchedulers(0, -1)).some((s) => s.key === "feed:club"));
});

test("API feeds must be http(s) or webcal URLs: local files only come from the config file", async () => {
  for (const url of ["/etc/passwd", "file:///etc/passwd", "./feeds/club.ics", "ftp://example.org/x.ics"]) {
    const res = await call("POST", "/api/feeds", {
      headers: auth,
      body: { id: "local", url, categoryId: 4 },
    });
    assert.equal(res.statusCode, 422, url);
    const body = res.json() as { problems: { path: string; message: string }[] };
    assert.deepEqual(
      body.problems.map((p) => p.path),
      ["url"],
      url,
    );
    assert.match(body.problems[0]!.message, /http\(s\) or webcal URL .*configuration file/);
  }
  assert.equal((await call("GET", "/api/feeds/local", { headers: auth })).statusCode, 404);

  const webcal = await call("POST", "/api/feeds", {
    headers: auth,
    body: { id: "webcal", url: "webcal://example.org/club.ics", categoryId: 4 },
  });
  assert.equal(webcal.statusCode, 201, webcal.body);
  const edited = await call("PUT", "/api/feeds/webcal", {
    headers: auth,
    body: { url: "file:///etc/passwd", categoryId: 4 },
  });
  assert.equal(edited.statusCode, 422);
  assert.equal((await registry.get("webcal"))!.feed.source.url, "webcal://example.org/club.ics");
  assert.equal((await call("DELETE", "/api/feeds/webcal", { headers: auth })).statusCode, 204);

  // a feed stored before the rule existed is neither listed nor run
  await conns.state.hset(
    apiFeedsKey("api"),
    "old-local",
    JSON.stringify({ id: "old-local", url: "/etc/passwd", categoryId: 4 }),
  );
  assert.equal(await registry.get("old-local"), undefined);
  assert.ok(!(await registry.list()).some((e) => e.feed.id === "old-local"));
  await conns.state.hdel(apiFeedsKey("api"), "old-local");
});

test("GET /api/status serves the status document with CORS for configured origins only", async () => {
  await waitFor("a run recorded", async () => (await history.list("file-feed")).length);
  const res = await call("GET", "/api/status", { headers: { origin: "https://forum.example.org" } });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers["access-control-allow-origin"], "https://forum.example.org");
  const doc = res.json() as { version: number; feeds: { id: string; lastRun: { outcome: string } | null }[] };
  assert.equal(doc.version, 1);
  assert.equal(doc.feeds[0]!.id, "file-feed");
  assert.equal(doc.feeds[0]!.lastRun!.outcome, "ok");
  const other = await call("GET", "/api/status", { headers: { origin: "https://evil.example" } });
  assert.equal(other.headers["access-control-allow-origin"], undefined);
});

test("detailed health reports Redis, sites and the last run per feed", async () => {
  const res = await call("GET", "/api/health/detailed");
  assert.equal(res.statusCode, 200);
  const body = res.json() as {
    status: string;
    redis: { ok: boolean };
    sites: { id: string; reachable: boolean }[];
    feeds: { id: string; lastOutcome: string }[];
  };
  assert.equal(body.status, "ok");
  assert.equal(body.redis.ok, true);
  assert.deepEqual(body.sites, [{ id: "forum", reachable: true, status: 200 }]);
  assert.deepEqual(
    body.feeds.map((f) => [f.id, f.lastOutcome]),
    [["file-feed", "ok"]],
  );
});

test("the OpenAPI document is generated from the route schemas", async () => {
  const res = await call("GET", "/api/openapi.json");
  const doc = res.json() as {
    openapi: string;
    paths: Record<string, Record<string, { security?: unknown }>>;
    components: { securitySchemes: object };
  };
  assert.match(doc.openapi, /^3\./);
  for (const p of [
    "/api/health",
    "/api/health/detailed",
    "/api/feeds",
    "/api/feeds/{id}",
    "/api/feeds/{id}/sync",
    "/api/feeds/{id}/runs",
    "/api/jobs/{id}",
    "/api/status",
    "/metrics",
  ]) {
    assert.ok(doc.paths[p], `missing ${p}`);
  }
  assert.deepEqual(doc.paths["/api/feeds/{id}/sync"]!.post!.security, [{ bearerAuth: [] }]);
  assert.ok("bearerAuth" in doc.components.securitySchemes);
});

test("Prometheus metrics count runs by outcome and show the queue depth", async () => {
  const res = await call("GET", "/metrics");
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /dics_sync_runs_total\{feed="file-feed",outcome="ok"\} \d+/);
  assert.match(res.body, /dics_sync_events_total\{feed="file-feed",action="created"\} \d+/);
  assert.match(res.body, /dics_sync_run_duration_seconds_count\{feed="file-feed"\} \d+/);
  assert.match(res.body, /dics_queue_jobs\{state="completed"\} \d+/);
});

test("request logs mask secrets in the query and keep the rest of the address", async () => {
  await call("GET", "/api/health?token=q-secret-5d1e&lang=en");
  const line = logLines.find((l) => l.includes("/api/health?"));
  assert.ok(line, "the request was logged");
  assert.equal((JSON.parse(line) as { url: string }).url, "/api/health?token=***&lang=en");
});

test("no secret value appears in any response or log line", () => {
  assert.ok(
    logLines.some((l) => l.includes("sync called")),
    "logs were captured",
  );
  assert.ok(bodies.length > 20);
  const values = [...Object.values(SECRETS), "urlpass-9a8b7c", SECRETS.FEED_BEARER.slice("Bearer ".length)];
  for (const v of values) {
    for (const b of bodies) assert.ok(!b.includes(v), `response leaked ${v}: ${b.slice(0, 200)}`);
    for (const l of logLines) assert.ok(!l.includes(v), `log leaked ${v}: ${l.slice(0, 300)}`);
  }
});
