import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Redis } from "ioredis";
import { createDiscourseClient, retryAfterMs } from "../../src/discourse/client.ts";
import { DiscourseError } from "../../src/discourse/errors.ts";
import { createSiteRateLimiter } from "../../src/discourse/rate-limiter.ts";
import { startRedis, type TestRedis } from "../support/redis.ts";
import { site } from "../sync/fixtures.ts";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handlers: Handler[] = [];
const seen: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[] = [];
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString()));
  req.on("end", () => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    const h = handlers.shift();
    if (h) h(req, res, body);
    else res.writeHead(500).end();
  });
});
let base = "";
let redis: TestRedis;
let client: Redis;

before(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  redis = await startRedis();
  client = redis.client();
});
after(async () => {
  server.close();
  client.disconnect();
  await redis.stop();
});

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_q, res) =>
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));

function make(over = {}) {
  return createDiscourseClient(site({ baseUrl: base, apiKey: "top-secret-key" }), { backoffMs: 5, ...over });
}

test("sends the API key and user as headers and validates the answer", async () => {
  seen.length = 0;
  handlers = [json(200, { id: 7, topic_id: 3, post_number: 1, extra: true })];
  const created = await make().createTopic({
    title: "A title long enough",
    raw: "body",
    category: 3,
    tags: ["a"],
    externalId: "ics-1",
  });
  assert.deepEqual(created, { topicId: 3, postId: 7 });
  assert.equal(seen[0]!.headers["api-key"], "top-secret-key");
  assert.equal(seen[0]!.headers["api-username"], "system");
  assert.deepEqual(JSON.parse(seen[0]!.body), {
    title: "A title long enough",
    raw: "body",
    category: 3,
    external_id: "ics-1",
    tags: ["a"],
  });
});

test("a 422 carries Discourse's message and never the key", async () => {
  handlers = [json(422, { action: "create_post", errors: ["External has already been taken"] })];
  const err = await make()
    .createTopic({ title: "t", raw: "r", category: 3, tags: [], externalId: "x" })
    .catch((e: unknown) => e);
  assert.ok(err instanceof DiscourseError);
  assert.equal(err.status, 422);
  assert.ok(err.externalIdTaken);
  assert.equal(err.discourseMessage, "External has already been taken");
  assert.ok(!err.message.includes("top-secret-key"));
  assert.ok(!JSON.stringify(err).includes("top-secret-key"));
  handlers = [json(422, { errors: ["Title has already been used"] })];
  const dup = await make()
    .createTopic({ title: "t", raw: "r", category: 3, tags: [], externalId: "x" })
    .catch((e: unknown) => e);
  assert.ok(dup instanceof DiscourseError && dup.titleTaken);
});

test("5xx and dropped connections are retried with backoff", async () => {
  seen.length = 0;
  handlers = [
    json(502, {}),
    (_q, res) => res.socket?.destroy(),
    json(200, { id: 1, topic_id: 2, post_number: 1, raw: "x" }),
  ];
  const p = await make().post(1);
  assert.equal(p.raw, "x");
  assert.equal(seen.length, 3);
  handlers = [json(503, {}), json(503, {}), json(503, {})];
  await assert.rejects(make({ maxAttempts: 3 }).post(1), /failed \(503\)/);
});

test("no answer says where and why: a refused connection, a timeout", async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  const refused = createDiscourseClient(
    site({ baseUrl: `http://127.0.0.1:${port}`, apiKey: "top-secret-key" }),
    {
      backoffMs: 1,
      maxAttempts: 2,
    },
  );
  const err = await refused.post(1).catch((e: unknown) => e);
  assert.ok(err instanceof DiscourseError);
  assert.equal(err.status, 0);
  assert.match(
    err.message,
    /no answer from http:\/\/127\.0\.0\.1:\d+ after 2 attempts: connection refused.*ECONNREFUSED/,
  );
  assert.doesNotMatch(err.message, /top-secret-key/);

  handlers = [() => {}, () => {}];
  await assert.rejects(
    make({ maxAttempts: 2, timeoutMs: 50 }).post(1),
    /after 2 attempts: timed out after 0\.05 s/,
  );
});

test("429 pauses the shared limiter for Retry-After, JSON or text", async () => {
  seen.length = 0;
  const limiter = createSiteRateLimiter(client, "rl", 1000);
  handlers = [
    json(
      429,
      { errors: ["wait"], error_type: "rate_limit", extras: { wait_seconds: 1 } },
      { "retry-after": "1" },
    ),
    (_q, res) =>
      res
        .writeHead(429, { "content-type": "text/plain" })
        .end(
          "Slow down, too many requests from this IP address.\nPlease retry again in 1 seconds.\nError code: ip_10_secs_limit.",
        ),
    json(200, { id: 1, topic_id: 2, post_number: 1, raw: "ok" }),
  ];
  const t0 = Date.now();
  const p = await make({ limiter }).post(1);
  assert.equal(p.raw, "ok");
  assert.ok(Date.now() - t0 >= 1900, `waited ${Date.now() - t0} ms`);
  assert.equal(seen.length, 3);
});

test("Retry-After is read from the header, the JSON extras or the text body", () => {
  assert.equal(retryAfterMs(new Headers({ "retry-after": "39" }), {}), 39000);
  assert.equal(retryAfterMs(new Headers(), { errors: [], extras: { wait_seconds: 12 } }), 12000);
  assert.equal(retryAfterMs(new Headers(), "Please retry again in 7 seconds."), 7000);
  assert.equal(retryAfterMs(new Headers(), "???"), 10000);
});

test("an answer of the wrong shape is an error, not a crash later", async () => {
  handlers = [json(200, { unexpected: true })];
  await assert.rejects(make().post(1), /unexpected answer/);
});

test("external_id lookups follow the redirect and return null when absent", async () => {
  handlers = [
    (_q, res) => res.writeHead(301, { location: "/t/some-topic/5.json?include_raw=1" }).end(),
    json(200, {
      id: 5,
      title: "T",
      post_stream: { posts: [{ id: 9, post_number: 1, raw: "r" }] },
      tags: [{ id: 1, name: "x", slug: "x" }],
    }),
  ];
  seen.length = 0;
  const t = await make().topicByExternalId("ics-abc");
  assert.equal(t?.id, 5);
  assert.deepEqual(t?.tags, ["x"]);
  assert.equal(seen[1]!.headers["api-key"], "top-secret-key", "auth kept across the redirect");
  handlers = [
    json(404, { errors: ["The requested URL or resource could not be found."], error_type: "not_found" }),
  ];
  assert.equal(await make().topicByExternalId("ics-missing"), null);
});

test("redirects take a rate-limit slot each and never lead the key to another host", async () => {
  const limiter = createSiteRateLimiter(client, "redirects", 1000);
  handlers = [
    (_q, res) => res.writeHead(301, { location: "/t/moved/5.json" }).end(),
    json(200, { id: 5, title: "T", post_stream: { posts: [] } }),
  ];
  await make({ limiter }).topic(5);
  assert.equal(await client.zcard("dics:rate:redirects"), 2);
  seen.length = 0;
  handlers = [(_q, res) => res.writeHead(302, { location: "http://elsewhere.example/steal" }).end()];
  await assert.rejects(make().topic(5), /unexpected redirect to http:\/\/elsewhere.example/);
  assert.equal(seen.length, 1);
});
