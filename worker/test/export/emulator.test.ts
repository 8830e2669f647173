/**
 * End to end against the Discourse emulator: calendar-plugin events made on the forum reach the
 * feed through a signed webhook and a debounced rebuild, with tag filters applied.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import Fastify, { type FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { startEmulator, type Emulator } from "../../emulator/index.ts";
import type { SiteConfig } from "../../src/core/feed.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { createDiscourseClient } from "../../src/discourse/client.ts";
import { rateLimitKeys } from "../../src/discourse/rate-limiter.ts";
import { createExportContext } from "../../src/export/context.ts";
import { clientGet, createDiscourseReader, type DiscourseGet } from "../../src/export/discourse-reader.ts";
import { registerExportRoutes } from "../../src/export/routes.ts";
import { startExportWorker } from "../../src/export/worker.ts";
import { freePort, startRedis, type TestRedis } from "../support/redis.ts";
import { exportConfig } from "./fixtures.ts";
import { readWithIcalJs } from "./read-back.ts";
import { waitFor } from "../support/wait.ts";

const SECRET = "emulator-webhook-secret";

const until = <T>(what: string, fn: () => Promise<T | undefined>) => waitFor(what, fn, 20_000, 150);

describe("exports against the Discourse emulator", () => {
  let server: TestRedis;
  let redis: Redis;
  let emulator: Emulator;
  let app: FastifyInstance;
  let worker: { close(): Promise<void> };
  let site: SiteConfig;

  before(async () => {
    server = await startRedis();
    redis = server.client();
    const port = await freePort();
    emulator = await startEmulator({
      calendarPlugin: true,
      adminRequestsPerMinute: null,
      webhooks: [{ url: `http://127.0.0.1:${port}/webhooks/discourse`, secret: SECRET }],
    });
    site = {
      id: "forum",
      baseUrl: emulator.url,
      apiUsername: "system",
      apiKey: emulator.adminApiKey,
      requestsPerMinute: 600,
      timezone: "UTC",
      calendarPlugin: true,
      webhookSecret: SECRET,
    };
    const deps = {
      redis,
      redisPrefix: "emu",
      sites: [site],
      exports: [
        exportConfig({ name: "events", categoryIds: [3], includeSubcategories: true }),
        exportConfig({ name: "tagged", categoryIds: [], tags: ["meetup"] }),
      ],
      logger: silentLogger(),
      records: { listAll: async () => [] },
      rebuildDebounceMs: 200,
    };
    app = Fastify();
    await registerExportRoutes(app, deps);
    await app.listen({ host: "127.0.0.1", port });
    worker = startExportWorker(deps);
  });

  after(async () => {
    await worker.close();
    await app.close();
    await emulator.close();
    redis.disconnect();
    await server.stop();
  });

  async function post(title: string, raw: string, category: number, tags: string[] = []) {
    const res = await fetch(`${emulator.url}/posts.json`, {
      method: "POST",
      headers: {
        "Api-Key": emulator.adminApiKey,
        "Api-Username": "system",
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ title, raw, category, tags }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as { id: number; topic_id: number };
  }

  async function feed(name: string) {
    const res = await app.inject({ url: `/ics/${name}.ics` });
    return res.statusCode === 200 ? readWithIcalJs(res.body) : [];
  }

  it("puts a calendar-plugin event made on the forum into the feed after its webhook", async () => {
    await until("first build", async () =>
      (await app.inject({ url: "/ics/events.ics" })).statusCode === 200 ? true : undefined,
    );
    const created = await post(
      "Weekly summer meetup in the park",
      '[event start="2026-07-01 18:00" end="2026-07-01 20:00" timezone="Europe/Berlin" name="Summer meetup" recurrence="every_week"]\nBring a friend\n[/event]\n\nWe meet every Wednesday evening by the fountain.',
      4,
    );
    const events = await until("plugin event in feed", async () => {
      const got = await feed("events");
      return got.length > 0 ? got : undefined;
    });
    const host = new URL(emulator.url).host;
    assert.equal(events[0]!.uid, `discourse-post-event-${created.id}@${host}`);
    assert.equal(events[0]!.start, "2026-07-01T16:00:00.000Z");
    assert.equal(events[0]!.end, "2026-07-01T18:00:00.000Z");
    assert.match(events[0]!.url ?? "", new RegExp(`/t/[^/]+/${created.topic_id}/1$`));
    const body = (await app.inject({ url: "/ics/events.ics" })).body;
    assert.match(body, /RRULE:FREQ=WEEKLY;BYDAY=WE/);
    assert.ok(
      emulator.webhookDeliveries().some((d) => d.status === 202),
      "no webhook was accepted",
    );
  });

  it("raises SEQUENCE and moves the event when its post is edited", async () => {
    const created = await post(
      "Board meeting that will be moved",
      '[event start="2026-09-01 18:00" timezone="UTC" name="Board meeting"]\n[/event]\n\nThe board meets to plan the autumn programme.',
      3,
    );
    const uid = `discourse-post-event-${created.id}@${new URL(emulator.url).host}`;
    const first = await until("event", async () => (await feed("events")).find((e) => e.uid === uid));
    assert.equal(first.sequence, 0);
    const edit = await fetch(`${emulator.url}/posts/${created.id}.json`, {
      method: "PUT",
      headers: {
        "Api-Key": emulator.adminApiKey,
        "Api-Username": "system",
        "Content-Type": "application/json",
      },
      body: JSON.stringify({
        post: {
          raw: '[event start="2026-09-08 18:00" timezone="UTC" name="Board meeting"]\n[/event]\n\nThe board meets a week later to plan the autumn programme.',
        },
      }),
    });
    assert.equal(edit.status, 200, await edit.clone().text());
    const moved = await until("moved event", async () => {
      const e = (await feed("events")).find((x) => x.uid === uid);
      return e?.start === "2026-09-08T18:00:00.000Z" ? e : undefined;
    });
    assert.equal(moved.sequence, 1);
  });

  it("spends the site's shared rate budget when it reads Discourse itself", async () => {
    const ctx = createExportContext({
      redis,
      redisPrefix: "budget",
      sites: [site],
      exports: [exportConfig({ name: "events", categoryIds: [3] })],
      logger: silentLogger(),
      records: { listAll: async () => [] },
    });
    const built = await ctx.rebuild("events");
    assert.ok("eventCount" in built, JSON.stringify(built));
    assert.ok((await redis.zcard(rateLimitKeys("budget", site.id).window)) > 0);
  });

  it("reads the category tree from /site.json, and the same tree from /categories.json without it", async () => {
    const get = clientGet(createDiscourseClient(site));
    const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
    const tree = (await createDiscourseReader(site, get).categories()).sort(byId);
    assert.deepEqual(tree, [
      { id: 1, restricted: false, slug: "uncategorized" },
      { id: 2, restricted: true, slug: "staff" },
      { id: 3, restricted: false, slug: "events" },
      { id: 4, restricted: false, parentId: 3, slug: "meetups" },
      { id: 5, restricted: false, slug: "general" },
    ]);
    const withoutSite: DiscourseGet = (path, query) =>
      path === "/site.json" ? Promise.reject(new Error("HTTP 404")) : get(path, query);
    const fallback = (await createDiscourseReader(site, withoutSite).categories()).sort(byId);
    // /categories.json leaves Uncategorized out while uncategorized topics are not allowed.
    assert.deepEqual(
      fallback,
      tree.filter((c) => c.id !== 1),
    );
  });

  it("keeps only topics with the export's tag", async () => {
    await post(
      "Tagged meetup for the tag export",
      '[event start="2026-08-05 10:00" timezone="UTC" name="Tagged meetup"]\n[/event]\n\nThis one carries the meetup tag for filtering.',
      5,
      ["meetup"],
    );
    const names = await until("tagged event", async () => {
      const got = (await feed("tagged")).map((e) => e.summary);
      return got.includes("Tagged meetup") ? got : undefined;
    });
    assert.deepEqual(names, ["Tagged meetup"]);
  });
});
