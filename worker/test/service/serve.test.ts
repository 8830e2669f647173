import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator, type Emulator } from "../../emulator/index.ts";
import { decodeStatus } from "../../src/service/status-topic-render.ts";
import { startRedis, type TestRedis } from "../support/redis.ts";
import { waitFor } from "../support/wait.ts";
import { spawnServe, tempDir, writeConfig, writeFeed, type ServeProcess } from "./processes.ts";

let redis: TestRedis;
let emu: Emulator;
const ADMIN_TOKEN = "adm-serve-5e1f0c2b9d";
const FEED_PASSWORD = "pw-serve-7d3a1f";

before(async () => {
  redis = await startRedis();
  emu = await startEmulator({ adminRequestsPerMinute: null });
});
after(async () => {
  await emu.close();
  await redis.stop();
});

async function exitOf(p: ServeProcess): Promise<number | null> {
  if (p.child.exitCode !== null) return p.child.exitCode;
  return await new Promise((resolve) => p.child.once("exit", (code) => resolve(code)));
}

test("a configuration mistake stops serve with exit code 2 and the path and line of the mistake", async () => {
  const dir = tempDir();
  const file = join(dir, "bad.yml");
  writeFileSync(
    file,
    "sites:\n  - id: forum\n    baseUrl: https://f.example.org\n    apiKey: { env: X }\n    requestsPerMinute: lots\n",
  );
  const p = spawnServe(file, { X: "k" });
  assert.equal(await exitOf(p), 2);
  assert.match(
    p.logs.join("\n"),
    /bad\.yml:5:\d+ sites\[0\]\.requestsPerMinute: expected number, received string/,
  );
});

test("serve --check validates and exits 0", async () => {
  const dir = tempDir();
  const config = writeConfig(dir, {
    emulatorUrl: emu.url,
    feeds: [{ id: "c", path: writeFeed(dir, "c", 1) }],
    perMinute: 60,
  });
  const p = spawnServe(config, { TEST_DISCOURSE_KEY: "k" }, ["--check"]);
  assert.equal(await exitOf(p), 0);
  assert.match(p.logs.join("\n"), /ok \(1 site\(s\), 1 feed\(s\), 0 export\(s\)\)/);
});

test("one command runs queue and HTTP: feeds sync, the status topic appears, the API answers, nothing leaks", async () => {
  const dir = tempDir();
  const config = writeConfig(dir, {
    emulatorUrl: emu.url,
    feeds: [{ id: "town", path: writeFeed(dir, "town", 5) }],
    perMinute: 600,
    feedLines: ["basicAuth: { username: town, password: { env: TEST_FEED_PASSWORD } }"],
    extra: [
      "http:",
      "  host: 127.0.0.1",
      "  port: 0",
      "  adminToken: { env: TEST_ADMIN_TOKEN }",
      "  statusEndpoint: true",
      "statusTopic: { categoryId: 2 }",
      "exports:",
      "  - name: town-events",
      "    categoryIds: [3]",
    ].join("\n"),
  });
  const p = spawnServe(
    config,
    {
      REDIS_URL: redis.url,
      TEST_DISCOURSE_KEY: emu.adminApiKey,
      TEST_ADMIN_TOKEN: ADMIN_TOKEN,
      TEST_FEED_PASSWORD: FEED_PASSWORD,
    },
    [],
  );
  try {
    const listening = JSON.parse(await p.waitForLog(/"http api listening"/)) as { url: string };
    const base = listening.url;
    const status = await waitFor(
      "status topic",
      () => emu.topics().find((t) => t.externalId === "dics-status-forum"),
      20_000,
    );
    assert.equal(status.categoryId, 2);
    await waitFor("status shows the run", async () => {
      const t = emu.topics().find((x) => x.externalId === "dics-status-forum")!;
      const doc = decodeStatus(/data-ics-status="([^"]+)"/.exec(t.posts[0]!.raw)![1]!);
      return doc.feeds[0]?.lastRun?.outcome === "ok";
    });
    assert.equal(emu.topics().filter((t) => t.categoryId === 3 && t.externalId).length, 5);

    const health = await fetch(`${base}/api/health/detailed`);
    const body = (await health.json()) as { redis: { ok: boolean }; sites: { reachable: boolean }[] };
    assert.equal(body.redis.ok, true);
    assert.equal(body.sites[0]!.reachable, true);
    assert.equal((await fetch(`${base}/api/feeds`)).status, 401);
    const feeds = await fetch(`${base}/api/feeds`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(feeds.status, 200);
    const apiStatus = (await (await fetch(`${base}/api/status`)).json()) as { feeds: { id: string }[] };
    assert.equal(apiStatus.feeds[0]!.id, "town");
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const requests = /dics_discourse_requests_total\{site="forum"\} (\d+)/.exec(metrics);
    assert.ok(requests && Number(requests[1]) >= 5, "Discourse requests of the sync runs are counted");
    assert.match(metrics, /dics_sync_events_total\{feed="town",action="created"\} 5/);
    const ics = await fetch(`${base}/ics/town-events.ics`);
    assert.notEqual(ics.status, 404, "the exporter's routes are mounted");
    await ics.body?.cancel();
  } finally {
    assert.equal(await p.stop("SIGTERM"), 0);
  }
  for (const line of p.logs) {
    assert.ok(!line.includes(ADMIN_TOKEN), `admin token in log: ${line}`);
    assert.ok(!line.includes(emu.adminApiKey), `api key in log: ${line}`);
    assert.ok(!line.includes(FEED_PASSWORD), `feed password in log: ${line}`);
  }
});
