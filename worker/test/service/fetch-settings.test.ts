import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator, type Emulator } from "../../emulator/index.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { parseConfig } from "../../src/service/config.ts";
import { createRedisConnections, type RedisConnections } from "../../src/service/redis-connections.ts";
import { createRunHistory, type RunRecord } from "../../src/service/run-history.ts";
import { startService } from "../../src/service/service.ts";
import { startRedis, type TestRedis } from "../support/redis.ts";
import { waitFor } from "../support/wait.ts";
import { tempDir, writeFeed } from "./processes.ts";

let redis: TestRedis;
let conns: RedisConnections;
let emu: Emulator;
let server: Server;
let port = 0;

before(async () => {
  redis = await startRedis();
  conns = createRedisConnections(redis.url, silentLogger());
  emu = await startEmulator({ adminRequestsPerMinute: null });
  const body = readFileSync(writeFeed(tempDir(), "loopback", 2));
  server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/calendar" }).end(body));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  server.close();
  await conns.close();
  await emu.close();
  await redis.stop();
});

/** Runs the service with these fetch settings until both config-file feeds have run once. */
async function firstRuns(prefix: string, fetchLines: string[]): Promise<Record<string, RunRecord>> {
  emu.reset();
  const config = parseConfig(
    [
      `redis: { prefix: ${prefix} }`,
      ...fetchLines,
      "sites:",
      `  - { id: forum, baseUrl: "${emu.url}", apiKey: { env: K } }`,
      "feeds:",
      `  - { id: by-address, url: "http://127.0.0.1:${port}/cal.ics", categoryId: 3, schedule: 1h, adoption: off }`,
      `  - { id: by-name, url: "http://localhost:${port}/cal.ics", categoryId: 3, schedule: 1h, adoption: off }`,
    ].join("\n"),
    "fetch.yml",
    { env: { K: emu.adminApiKey, REDIS_URL: redis.url } },
  );
  const service = await startService(config, { logger: silentLogger(), http: false });
  const history = createRunHistory(conns.state, prefix);
  try {
    const runs: Record<string, RunRecord> = {};
    await waitFor(
      "a first run of each feed",
      async () => {
        for (const id of ["by-address", "by-name"]) {
          const [run] = await history.list(id);
          if (run) runs[id] = run;
        }
        return Object.keys(runs).length === 2;
      },
      20_000,
    );
    return runs;
  } finally {
    await service.close();
  }
}

const refusal =
  /the host "(127\.0\.0\.1|localhost)" resolves to a loopback address .*refused unless the configuration allows them \(fetch.allowedHosts/;

test("a config-file feed on a loopback server is refused by default, with the reason in its run", async () => {
  const runs = await firstRuns("fetch-default", []);
  for (const run of Object.values(runs)) {
    assert.equal(run.outcome, "failed");
    assert.match(run.failures[0]?.reason ?? "", refusal);
  }
  assert.equal(emu.topics().filter((t) => t.externalId).length, 0);
});

test("fetch.allowedHosts lets a named host through; the address itself stays refused", async () => {
  const runs = await firstRuns("fetch-hosts", ["fetch: { allowedHosts: [LocalHost] }"]);
  assert.equal(runs["by-name"]!.outcome, "ok", JSON.stringify(runs["by-name"]));
  assert.equal(runs["by-name"]!.counts.created, 2);
  assert.equal(runs["by-address"]!.outcome, "failed");
  assert.match(runs["by-address"]!.failures[0]?.reason ?? "", refusal);
});

test("fetch.allowPrivateAddresses lets every private address through", async () => {
  const runs = await firstRuns("fetch-private", ["fetch: { allowPrivateAddresses: true }"]);
  for (const run of Object.values(runs)) assert.equal(run.outcome, "ok", JSON.stringify(run));
});
