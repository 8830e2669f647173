import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Redis } from "ioredis";
import { withPluginRevisions } from "../../src/export/plugin-revisions.ts";
import type { PluginEvent } from "../../src/export/types.ts";
import { startRedis, type TestRedis } from "../support/redis.ts";

const event = (over: Partial<PluginEvent> = {}): PluginEvent => ({
  id: 12,
  name: "Board meeting",
  startsAt: "2026-05-01T16:00:00.000Z",
  endsAt: null,
  allDay: false,
  status: "public",
  tags: [],
  ...over,
});

describe("withPluginRevisions", () => {
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

  it("starts at 0, keeps the number while nothing changes, and raises it on a change", async () => {
    const t0 = new Date("2026-04-01T10:00:00.000Z");
    const t1 = new Date("2026-04-02T10:00:00.000Z");
    const t2 = new Date("2026-04-03T10:00:00.000Z");
    const [first] = await withPluginRevisions(redis, "rev", "forum", [event()], t0);
    assert.equal(first!.sequence, 0);
    assert.equal(first!.changedAt, t0.toISOString());
    const [same] = await withPluginRevisions(redis, "rev", "forum", [event()], t1);
    assert.equal(same!.sequence, 0);
    assert.equal(same!.changedAt, t0.toISOString());
    const [moved] = await withPluginRevisions(
      redis,
      "rev",
      "forum",
      [event({ startsAt: "2026-05-02T16:00:00.000Z" })],
      t2,
    );
    assert.equal(moved!.sequence, 1);
    assert.equal(moved!.changedAt, t2.toISOString());
    const [otherSite] = await withPluginRevisions(
      redis,
      "rev",
      "elsewhere",
      [event({ startsAt: "2026-05-02T16:00:00.000Z" })],
      t2,
    );
    assert.equal(otherSite!.sequence, 0);
  });
});
