/**
 * From a calendar file to a subscribable feed with nothing faked: the sync engine imports the sample
 * feed into the Discourse emulator, and configured exports read the category tree from the emulator,
 * take the imported events from the sync engine's Redis state, and serve them at /ics/<name>.ics.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Fastify, { type FastifyInstance } from "fastify";
import ical, { type VEvent } from "node-ical";
import type { Redis } from "ioredis";
import { startEmulator, type Emulator } from "../../emulator/index.ts";
import type { FeedConfig, SiteConfig } from "../../src/core/feed.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { createExportContext } from "../../src/export/context.ts";
import { registerExportRoutes } from "../../src/export/routes.ts";
import type { ExportDeps } from "../../src/export/types.ts";
import { syncFeed } from "../../src/sync/run-sync.ts";
import { DEFAULT_TITLE_TEMPLATE } from "../../src/sync/title.ts";
import { startRedis, type TestRedis } from "../support/redis.ts";
import { exportConfig } from "./fixtures.ts";

const SAMPLE = fileURLToPath(new URL("../../samples/community-events.ics", import.meta.url));
const BOARD_GAMES = "board-game-night-2026-12@community.example.org";
/** Before the sample's first event, so the whole sample lies inside the sync window. */
const NOW = new Date("2026-11-20T12:00:00Z");
const BOARD_TOKEN = "board-feed-token-0123456789abcdef";
const EVENTS = 3;
const MEETUPS = 4;
const STAFF = 2;

/** The sample as it looked before Board Game Night was cancelled (the sync skips an event first seen cancelled). */
function sampleBeforeCancellation(sample: string): string {
  return sample.replace(new RegExp(`(UID:${BOARD_GAMES}[\\s\\S]*?)STATUS:CANCELLED`), "$1STATUS:CONFIRMED");
}

function readBack(ics: string): { uids: Set<string>; urls: string[]; status: Map<string, string> } {
  const uids = new Set<string>();
  const urls: string[] = [];
  const status = new Map<string, string>();
  for (const item of Object.values(ical.sync.parseICS(ics))) {
    if (!item || item.type !== "VEVENT") continue;
    const ev = item as VEvent;
    for (const e of [ev, ...(Object.values(ev.recurrences ?? {}) as VEvent[])]) {
      uids.add(e.uid);
      if (e.url) urls.push(String(typeof e.url === "object" ? (e.url as { val: unknown }).val : e.url));
      if (e.status && !e.recurrenceid) status.set(e.uid, String(e.status));
    }
  }
  return { uids, urls, status };
}

describe("a configured export built from what the sync engine imported into the emulator", () => {
  let server: TestRedis;
  let redis: Redis;
  let emulator: Emulator;
  let app: FastifyInstance;
  let site: SiteConfig;
  let dir: string;
  const sample = readFileSync(SAMPLE, "utf8");
  const sampleUids = readBack(sample).uids;

  const feed = (over: Partial<FeedConfig>): FeedConfig => ({
    id: "community",
    name: "Community events",
    source: { url: SAMPLE },
    siteId: "forum",
    categoryId: MEETUPS,
    tags: ["events"],
    window: { pastDays: 30, futureDays: 365 },
    schedule: { everySeconds: 3600 },
    titleTemplate: DEFAULT_TITLE_TEMPLATE,
    cancelled: "note",
    removed: "close",
    adoption: "off",
    allowMassRemoval: false,
    ...over,
  });

  before(async () => {
    server = await startRedis();
    redis = server.client();
    emulator = await startEmulator({ adminRequestsPerMinute: null });
    site = {
      id: "forum",
      baseUrl: emulator.url,
      apiUsername: "system",
      apiKey: emulator.adminApiKey,
      requestsPerMinute: 6000,
      timezone: "Europe/Berlin",
      calendarPlugin: false,
    };
    dir = mkdtempSync(join(tmpdir(), "dics-e2e-"));
    const earlier = join(dir, "community-events-earlier.ics");
    writeFileSync(earlier, sampleBeforeCancellation(sample));
    const deps = { redis, redisPrefix: "e2e", logger: silentLogger(), now: () => NOW };
    // The same sample twice: into Meetups (a subcategory of Events) and into the staff-only category,
    // each first as it was before one event was cancelled, then as it is.
    for (const f of [
      feed({}),
      feed({ id: "board", categoryId: STAFF, titleTemplate: `Board: ${DEFAULT_TITLE_TEMPLATE}` }),
    ]) {
      const first = await syncFeed({ ...f, source: { url: earlier } }, site, deps);
      assert.equal(first.outcome, "ok", `${f.id}: ${JSON.stringify(first.failures)}`);
      assert.ok(first.counts.created > 0, `${f.id} created no topics`);
      const second = await syncFeed(f, site, deps);
      assert.equal(second.outcome, "ok", `${f.id}: ${JSON.stringify(second.failures)}`);
      assert.ok(second.counts.cancelled > 0, `${f.id} cancelled nothing`);
    }

    const exportDeps: ExportDeps = {
      redis,
      redisPrefix: "e2e",
      sites: [site],
      exports: [
        exportConfig({ name: "events", categoryIds: [EVENTS], includeSubcategories: true }),
        exportConfig({ name: "board", categoryIds: [STAFF], token: BOARD_TOKEN }),
        exportConfig({ name: "board-open", categoryIds: [STAFF] }),
      ],
      logger: silentLogger(),
      now: () => NOW,
    };
    app = Fastify();
    await registerExportRoutes(app, exportDeps);
    const ctx = createExportContext(exportDeps);
    for (const name of ["events", "board", "board-open"]) await ctx.rebuild(name);
  });

  after(async () => {
    await app?.close();
    await emulator?.close();
    redis?.disconnect();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const topicIdOf = (url: string) => Number(/\/t\/(?:[^/]+\/)?(\d+)$/.exec(url)?.[1]);
  const categoryOfTopic = (id: number) => emulator.topics().find((t) => t.id === id)?.categoryId;

  it("reads the category tree from the emulator's /site.json", () => {
    const routes = emulator.requests().map((r) => `${r.route} ${r.status}`);
    assert.ok(routes.includes("GET /site.json 200"), routes.join("\n"));
    assert.ok(!routes.some((r) => r.startsWith("GET /categories.json")), "no fallback was needed");
  });

  it("serves the sample's events, by their own UIDs, from the category's subcategory", async () => {
    const res = await app.inject({ url: "/ics/events.ics" });
    assert.equal(res.statusCode, 200, res.body);
    const { uids, urls, status } = readBack(res.body);
    assert.deepEqual([...uids].sort(), [...sampleUids].sort());
    assert.equal(status.get(BOARD_GAMES), "CANCELLED", "a cancelled event stays, marked cancelled");
    assert.ok(urls.length >= uids.size);
    assert.deepEqual(
      [...new Set(urls.map((u) => categoryOfTopic(topicIdOf(u))))],
      [MEETUPS],
      "only topics from Meetups, none from the staff category",
    );
  });

  it("serves the staff category's export only with its token", async () => {
    assert.equal((await app.inject({ url: "/ics/board.ics" })).statusCode, 401);
    assert.equal((await app.inject({ url: "/ics/board.ics?token=wrong" })).statusCode, 403);
    const res = await app.inject({ url: `/ics/board.ics?token=${BOARD_TOKEN}` });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers["cache-control"]), /private/);
    const { uids, urls } = readBack(res.body);
    assert.deepEqual([...uids].sort(), [...sampleUids].sort());
    assert.deepEqual([...new Set(urls.map((u) => categoryOfTopic(topicIdOf(u))))], [STAFF]);
  });

  it("refuses to serve the staff category without a token", async () => {
    const res = await app.inject({ url: "/ics/board-open.ics" });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /private category 2/);
  });
});
