import { test } from "node:test";
import assert from "node:assert/strict";
import { startRedis } from "./redis.ts";

test("a private redis-server starts empty and restarts empty", async () => {
  const redis = await startRedis();
  const c = redis.client();
  try {
    await c.set("k", "v");
    assert.equal(await c.get("k"), "v");
    await redis.restart();
    await c.ping();
    assert.equal(await c.get("k"), null);
  } finally {
    c.disconnect();
    await redis.stop();
  }
});
