/**
 * Service benchmark: F feeds of E events each on one emulated Discourse site, synced by W worker
 * processes (`serve --no-http`) sharing one Redis and the site's request budget.
 *
 *   node bench/service.ts                          # quick: 20 feeds x 10 events, limit 600/min, 2 workers
 *   node bench/service.ts --feeds 200 --events 50 --limit 60   # the full run (about 3 hours at 60/min)
 *   node bench/service.ts --adoption time-and-location         # feeds look for topics to adopt
 *
 * Prints the wall time against the rate-limit floor, the worst per-feed delay, and checks that no feed
 * ran twice at once and no topic was duplicated.
 */
import { parseArgs } from "node:util";
import { startEmulator } from "../worker/emulator/index.ts";
import { silentLogger } from "../worker/src/core/logger.ts";
import {
  createRedisConnections,
  waitUntilReady,
} from "../worker/src/service/redis-connections.ts";
import {
  createRunHistory,
  type RunRecord,
} from "../worker/src/service/run-history.ts";
import { startRedis } from "../worker/test/support/redis.ts";
import {
  PREFIX,
  spawnServe,
  tempDir,
  writeConfig,
  writeFeed,
  type ServeProcess,
} from "../worker/test/service/processes.ts";

const { values } = parseArgs({
  options: {
    feeds: { type: "string", default: "20" },
    events: { type: "string", default: "10" },
    limit: { type: "string", default: "600" },
    workers: { type: "string", default: "2" },
    concurrency: { type: "string", default: "4" },
    adoption: { type: "string", default: "off" },
    "timeout-minutes": { type: "string", default: "240" },
  },
});
const F = Number(values.feeds);
const E = Number(values.events);
const LIMIT = Number(values.limit);
const W = Number(values.workers);
const total = F * E;

const redis = await startRedis();
const emu = await startEmulator({ adminRequestsPerMinute: LIMIT });
const conns = createRedisConnections(redis.url, silentLogger());
await waitUntilReady(conns.queue);
const history = createRunHistory(conns.state, PREFIX);
const dir = tempDir();
const feeds = Array.from({ length: F }, (_, i) => {
  const id = `feed${String(i + 1).padStart(3, "0")}`;
  return { id, path: writeFeed(dir, id, E) };
});
const config = writeConfig(dir, {
  emulatorUrl: emu.url,
  feeds,
  perMinute: LIMIT,
  concurrency: Number(values.concurrency),
  adoption: values.adoption as "off" | "time-and-location" | "time-only",
});

console.log(
  `service bench: ${F} feeds x ${E} events = ${total} events, site limit ${LIMIT}/min, ${W} worker processes, adoption ${values.adoption}`
);
const t0 = Date.now();
const workers: ServeProcess[] = Array.from({ length: W }, () =>
  spawnServe(config, {
    REDIS_URL: redis.url,
    TEST_DISCOURSE_KEY: emu.adminApiKey,
    LOG_LEVEL: "warn",
  })
);

const deadline = t0 + Number(values["timeout-minutes"]) * 60_000;
let runs = new Map<string, RunRecord[]>();
let lastReport = 0;
for (;;) {
  runs = new Map(
    await Promise.all(
      feeds.map(async (f) => [f.id, await history.list(f.id)] as const)
    )
  );
  const done = [...runs.values()].filter((r) =>
    r.some((x) => x.outcome === "ok" || x.outcome === "partial")
  ).length;
  if (done === F) break;
  if (Date.now() > deadline) {
    console.error(`timed out with ${done}/${F} feeds done`);
    break;
  }
  if (Date.now() - lastReport > 15_000) {
    lastReport = Date.now();
    console.log(
      `  ${((Date.now() - t0) / 1000).toFixed(0)} s: ${done}/${F} feeds done, ${emu.counters().total} requests`
    );
  }
  await new Promise((r) => setTimeout(r, 500));
}
const wallMs = Date.now() - t0;
for (const w of workers) await w.stop("SIGTERM");

const counters = emu.counters();
const topics = emu
  .topics()
  .filter((t) => t.externalId && !t.externalId.startsWith("dics-status"));
const externalIds = new Set(topics.map((t) => t.externalId));
let overlaps = 0;
let worstStartMs = 0;
let worstFinishMs = 0;
let created = 0;
let failedEvents = 0;
for (const [, list] of runs) {
  const real = list
    .filter((r) => r.outcome !== "skipped")
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  for (let i = 1; i < real.length; i++)
    if (real[i]!.startedAt < real[i - 1]!.finishedAt) overlaps++;
  for (const r of real) {
    created += r.counts.created;
    failedEvents += r.counts.failed;
  }
  const first = real[0];
  if (first) {
    worstStartMs = Math.max(worstStartMs, Date.parse(first.startedAt) - t0);
    worstFinishMs = Math.max(worstFinishMs, Date.parse(first.finishedAt) - t0);
  }
}
// The floor is N requests at the site limit. Discourse's sliding window also lets the first `limit`
// requests through at once, so small runs can finish under it.
const floorMs = (total / LIMIT) * 60_000;
const requestFloorMs = (counters.total / LIMIT) * 60_000;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

console.log("");
console.log(
  `wall time                 ${s(wallMs)} (includes process start-up)`
);
console.log(
  `requests to Discourse     ${counters.total} (${(counters.total / total).toFixed(2)} per event); 429 answers: ${counters.byStatus["429"] ?? 0}`
);
console.log(
  `floor, 1 request/event    ${s(floorMs)}  -> ratio ${(wallMs / floorMs).toFixed(2)}`
);
console.log(
  `floor, requests made      ${s(requestFloorMs)}  -> ratio ${(wallMs / requestFloorMs).toFixed(2)}`
);
console.log(
  `worst per-feed delay      start ${s(worstStartMs)}, finish ${s(worstFinishMs)} after launch`
);
console.log(
  `topics                    ${topics.length} for ${total} events, distinct external ids ${externalIds.size}; created ${created}, failed ${failedEvents}`
);
console.log(`requests by route         ${JSON.stringify(counters.byRoute)}`);
console.log(`overlapping runs          ${overlaps}`);
const ok =
  overlaps === 0 &&
  externalIds.size === topics.length &&
  topics.length === total &&
  failedEvents === 0;
console.log(
  ok
    ? "OK: no feed overlapped, no duplicate, every event imported"
    : "PROBLEM: see the figures above"
);

await conns.close();
await emu.close();
await redis.stop();
process.exit(ok ? 0 : 1);
