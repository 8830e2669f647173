import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Redis } from "ioredis";
import type { ImportedEventRecord } from "../../src/core/imported-event.ts";
import { withFeedLock } from "../../src/sync/feed-lock.ts";
import { createStateStore } from "../../src/sync/state-store.ts";
import { startRedis, type TestRedis } from "../support/redis.ts";
import { timedEvent } from "./fixtures.ts";

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

function rec(feedId: string, eventKey: string): ImportedEventRecord {
  return {
    feedId,
    siteId: "forum",
    eventKey,
    externalId: "ics-x",
    topicId: 1,
    postId: 2,
    categoryId: 3,
    renderHash: "h",
    revision: 1,
    event: timedEvent({ key: eventKey }),
    state: "active",
    updatedAt: "2026-01-01T00:00:00.000Z",
  };
}

test("records are kept per feed and listed across feeds", async () => {
  const store = createStateStore(redis, "t1");
  await store.put(rec("a", "k1"));
  await store.put(rec("a", "k2"));
  await store.put(rec("b", "k1"));
  assert.deepEqual((await store.get("a", "k2"))?.eventKey, "k2");
  assert.equal(await store.get("a", "missing"), null);
  assert.equal((await store.list("a")).length, 2);
  assert.deepEqual((await store.listAll()).map((r) => `${r.feedId}/${r.eventKey}`).sort(), [
    "a/k1",
    "a/k2",
    "b/k1",
  ]);
  await store.delete("a", "k1");
  assert.equal((await store.list("a")).length, 1);
  assert.ok((await redis.keys("t1:*")).every((k) => k.startsWith("t1:")));
  assert.equal(
    await createStateStore(redis, "other").get("a", "k2"),
    null,
    "prefixes separate installations",
  );
});

test("fetch state round-trips and can be cleared", async () => {
  const store = createStateStore(redis, "t2");
  assert.deepEqual(await store.getFetchState("f"), {});
  await store.putFetchState("f", { etag: '"x"', hash: "abc", day: "2026-01-01" });
  assert.deepEqual(await store.getFetchState("f"), { etag: '"x"', hash: "abc", day: "2026-01-01" });
  await store.putFetchState("f", { hash: "def" });
  assert.deepEqual(await store.getFetchState("f"), { hash: "def" });
  await store.clearFetchState("f");
  assert.deepEqual(await store.getFetchState("f"), {});
});

test("the feed lock admits one run at a time and is released by its holder only", async () => {
  let inside = 0;
  const run = () =>
    withFeedLock(redis, "t3", "feed", async () => {
      inside++;
      await new Promise((r) => setTimeout(r, 100));
      return "done";
    });
  const results = await Promise.all([run(), run(), run()]);
  assert.deepEqual(results.sort(), ["done", "locked", "locked"]);
  assert.equal(inside, 1);
  assert.equal(await run(), "done", "released after the run");
  await assert.rejects(
    withFeedLock(redis, "t3", "feed", async () => Promise.reject(new Error("boom"))),
    /boom/,
  );
  assert.equal(await redis.exists("t3:sync:feed:lock"), 0, "released after a failure");
});

test("the lock is renewed while the run lasts", async () => {
  const result = await withFeedLock(
    redis,
    "t4",
    "feed",
    async () => {
      await new Promise((r) => setTimeout(r, 400));
      return await withFeedLock(redis, "t4", "feed", async () => "second");
    },
    { ttlMs: 150, renewEveryMs: 50 },
  );
  assert.equal(result, "locked");
});
