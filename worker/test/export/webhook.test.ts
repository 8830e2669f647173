import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { affectedExports, checkSignature } from "../../src/export/webhook.ts";
import { bullPrefix, EXPORT_QUEUE } from "../../src/export/queue.ts";
import { startRedis, type TestRedis } from "../support/redis.ts";
import { exportConfig } from "./fixtures.ts";
import { SITE, startHarness, type Harness } from "./harness.ts";

function sign(body: string, secret = SITE.webhookSecret!): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

const topicEdit = JSON.stringify({ post: { id: 9, topic_id: 40, category_id: 3, raw: "[event]…" } });

describe("checkSignature", () => {
  const body = Buffer.from('{"ping":"OK"}');
  it("accepts the HMAC of the raw body and nothing else", () => {
    assert.equal(checkSignature(body, sign(body.toString()), "k"), "invalid");
    assert.equal(checkSignature(body, sign(body.toString(), "k"), "k"), "ok");
    assert.equal(
      checkSignature(body, sign(body.toString(), "k").toUpperCase().replace("SHA256", "sha256"), "k"),
      "ok",
    );
    assert.equal(checkSignature(body, undefined, "k"), "missing");
    assert.equal(checkSignature(body, "sha256=abc", "k"), "invalid");
    assert.equal(
      checkSignature(body, sign(body.toString(), "k").replace("sha256=", "sha1="), "k"),
      "invalid",
    );
    assert.equal(checkSignature(Buffer.from('{"ping": "OK"}'), sign(body.toString(), "k"), "k"), "invalid");
  });
});

describe("affectedExports", () => {
  const exports = [
    exportConfig({ name: "all", categoryIds: [] }),
    exportConfig({ name: "three", categoryIds: [3], includeSubcategories: false }),
    exportConfig({ name: "five", categoryIds: [5], includeSubcategories: false }),
    exportConfig({ name: "five-and-subs", categoryIds: [5], includeSubcategories: true }),
    exportConfig({ name: "other-site", siteId: "elsewhere" }),
  ];
  it("picks exports by the event's category on creation", () => {
    const names = affectedExports(exports, "forum", "post_created", { post: { category_id: 3 } });
    assert.deepEqual(names, ["all", "three", "five-and-subs"]);
  });
  it("rebuilds every export of the site when a topic may have moved or vanished", () => {
    for (const event of ["topic_edited", "topic_destroyed", "post_destroyed"]) {
      const names = affectedExports(exports, "forum", event, { topic: { category_id: 3 } });
      assert.deepEqual(names, ["all", "three", "five", "five-and-subs"], event);
    }
  });
  it("ignores events that touch no event", () => {
    assert.deepEqual(affectedExports(exports, "forum", "ping", { ping: "OK" }), []);
    assert.deepEqual(affectedExports(exports, "forum", "user_created", { user: {} }), []);
    assert.deepEqual(affectedExports(exports, "forum", undefined, {}), []);
  });
});

describe("POST /webhooks/discourse", () => {
  let server: TestRedis;
  let redis: Redis;
  let h: Harness;
  let queue: Queue;
  let queueConnection: Redis;

  before(async () => {
    server = await startRedis();
    redis = server.client();
    h = await startHarness(redis, [
      exportConfig({ name: "events", categoryIds: [3] }),
      exportConfig({ name: "general", categoryIds: [5], includeSubcategories: false }),
    ]);
    queueConnection = server.client();
    queue = new Queue(EXPORT_QUEUE, { connection: queueConnection, prefix: bullPrefix(h.deps.redisPrefix) });
  });

  after(async () => {
    await queue.close();
    queueConnection.disconnect();
    await h.close();
    redis.disconnect();
    await server.stop();
  });

  const deliver = (body: string, headers: Record<string, string>) =>
    h.app.inject({
      method: "POST",
      url: "/webhooks/discourse",
      payload: body,
      headers: {
        "content-type": "application/json",
        "x-discourse-instance": SITE.baseUrl,
        "x-discourse-event-type": "post",
        "x-discourse-event": "post_edited",
        ...headers,
      },
    });

  it("queues one debounced rebuild of the touched export for a valid delivery", async () => {
    const res = await deliver(topicEdit, {
      "x-discourse-event-signature": sign(topicEdit),
      "x-discourse-event-id": "101",
    });
    assert.equal(res.statusCode, 202);
    assert.deepEqual(res.json(), { status: "queued", exports: ["events"] });
    const second = await deliver(topicEdit, {
      "x-discourse-event-signature": sign(topicEdit),
      "x-discourse-event-id": "102",
    });
    assert.equal(second.statusCode, 202);
    const delayed = await queue.getDelayed();
    assert.equal(delayed.filter((j) => j.data.kind === "rebuild" && j.data.name === "events").length, 1);
  });

  it("rejects a wrong signature and a missing one, before reading the body", async () => {
    const wrong = await deliver(topicEdit, {
      "x-discourse-event-signature": sign(topicEdit, "not-the-secret"),
      "x-discourse-event-id": "201",
    });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.json().message, /invalid/);
    const missing = await deliver(topicEdit, { "x-discourse-event-id": "202" });
    assert.equal(missing.statusCode, 401);
    assert.match(missing.json().message, /missing/);
    const garbage = await deliver("not json at all", {
      "x-discourse-event-signature": sign(topicEdit),
      "x-discourse-event-id": "203",
    });
    assert.equal(garbage.statusCode, 401);
    // Rejected deliveries leave no trace: the same id later, signed, still counts.
    const later = await deliver(topicEdit, {
      "x-discourse-event-signature": sign(topicEdit),
      "x-discourse-event-id": "201",
    });
    assert.equal(later.statusCode, 202);
  });

  it("ignores a delivery id it has already seen", async () => {
    const headers = { "x-discourse-event-signature": sign(topicEdit), "x-discourse-event-id": "301" };
    assert.equal((await deliver(topicEdit, headers)).statusCode, 202);
    const replay = await deliver(topicEdit, headers);
    assert.equal(replay.statusCode, 200);
    assert.deepEqual(replay.json(), { status: "ignored", reason: "replayed delivery" });
  });

  it("answers a signed ping without queueing anything", async () => {
    const ping = '{"ping":"OK"}';
    const res = await deliver(ping, {
      "x-discourse-event": "ping",
      "x-discourse-event-signature": sign(ping),
      "x-discourse-event-id": "401",
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, "ignored");
  });

  it("accepts form-encoded deliveries by their raw bytes too", async () => {
    const body = "payload=%7B%22ping%22%3A%22OK%22%7D";
    const res = await h.app.inject({
      method: "POST",
      url: "/webhooks/discourse",
      payload: body,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-discourse-event": "topic_created",
        "x-discourse-event-signature": sign(body),
        "x-discourse-event-id": "501",
      },
    });
    assert.equal(res.statusCode, 202);
    assert.deepEqual(res.json().exports, ["events", "general"]);
  });
});
