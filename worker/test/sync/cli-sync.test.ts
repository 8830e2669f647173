import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseSyncOptions, UsageError } from "../../src/sync/cli-options.ts";
import { harnessPerFile, numberedEvents } from "./harness.ts";

const mainTs = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const h = harnessPerFile();

function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [mainTs, "sync", "--no-progress", "--allow-private-addresses", ...args],
      {
        env: { PATH: process.env.PATH ?? "", REDIS_URL: h.redisServer.url, LOG_LEVEL: "warn", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const pythonEnv = () => ({
  DISCOURSE_BASE_URL: h.emu.url,
  DISCOURSE_API_KEY: h.emu.adminApiKey,
  DISCOURSE_API_USERNAME: "system",
  DISCOURSE_CATEGORY_ID: "3",
  DISCOURSE_DEFAULT_TAGS: "Calendar, Imported",
  SITE_TZ: "Europe/Berlin",
});

test("the Python importer's environment and flags work; dry run prints the plan and writes nothing", async () => {
  h.writeFeed(numberedEvents(3));
  const dry = await cli(["--ics", h.feedFile, "--dry-run", "--feed-id", "py"], pythonEnv());
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /create\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s+Community event number 0\s+new event/);
  assert.equal(h.eventTopics().length, 0);
  const real = await cli(
    ["--ics", h.feedFile, "--feed-id", "py", "--static-tags", "meetup", "--time-only-dedupe"],
    pythonEnv(),
  );
  assert.equal(real.code, 0, real.stderr);
  assert.match(real.stdout, /created 3/);
  assert.deepEqual(h.eventTopics()[0]!.tags, ["meetup"], "--static-tags wins over DISCOURSE_DEFAULT_TAGS");
  assert.ok(!real.stdout.includes(h.emu.adminApiKey) && !real.stderr.includes(h.emu.adminApiKey));
});

test("exit codes: 2 for configuration and feed errors, 3 when locked, 1 for per-event failures", async () => {
  h.writeFeed(numberedEvents(2));
  const missing = await cli(["--ics", h.feedFile]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /missing .*DISCOURSE_API_KEY/);
  const badFeed = await cli(["--ics", h.feedFile + ".nope", "--feed-id", "x"], pythonEnv());
  assert.equal(badFeed.code, 2);
  assert.match(badFeed.stdout + badFeed.stderr, /feed "x"/);
  const badZone = await cli(["--ics", h.feedFile, "--site-tz", "Mars/Olympus"], pythonEnv());
  assert.equal(badZone.code, 2);
  await h.redis.set("dics:sync:locked-feed:lock", "someone", "PX", 60_000);
  const locked = await cli(["--ics", h.feedFile, "--feed-id", "locked-feed"], pythonEnv());
  assert.equal(locked.code, 3);
  const noCategory = await cli(["--ics", h.feedFile, "--feed-id", "c", "--category-id", "999"], pythonEnv());
  assert.equal(noCategory.code, 2, noCategory.stdout + noCategory.stderr);
  assert.match(noCategory.stdout, /category 999 was not found/);
  h.emu.settings.max_post_length = 100;
  const partial = await cli(["--ics", h.feedFile, "--feed-id", "p"], pythonEnv());
  h.emu.reset();
  assert.equal(partial.code, 1, partial.stdout + partial.stderr);
  assert.match(partial.stdout, /failed: Community event number 0: Body is limited to 100 characters/);
  const noRedis = await cli(["--ics", h.feedFile], { ...pythonEnv(), REDIS_URL: "redis://127.0.0.1:1" });
  assert.equal(noRedis.code, 2);
  assert.match(noRedis.stderr, /cannot reach Redis at redis:\/\/127\.0\.0\.1:1: connect ECONNREFUSED/);
});

test("--json prints the report for scripts", async () => {
  h.writeFeed(numberedEvents(1));
  const r = await cli(["--ics", h.feedFile, "--json", "--feed-id", "j"], pythonEnv());
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { outcome: string; counts: { created: number } };
  assert.equal(report.outcome, "ok");
  assert.equal(report.counts.created, 1);
});

test("options: defaults, validation and the feed id derived from the URL", () => {
  const env = {
    DISCOURSE_BASE_URL: "https://forum.example.org/",
    DISCOURSE_API_KEY: "k",
    DISCOURSE_CATEGORY_ID: "7",
  };
  const o = parseSyncOptions(["--ics", "https://cal.example.org/a.ics"], env);
  assert.ok(o !== "help");
  assert.equal(o.site!.baseUrl, "https://forum.example.org");
  assert.equal(o.site!.id, "forum.example.org");
  assert.equal(o.site!.apiUsername, "system");
  assert.equal(o.feed!.categoryId, 7);
  assert.equal(o.feed!.removed, "keep");
  assert.equal(o.feed!.adoption, "time-and-location");
  assert.match(o.feed!.id, /^feed-[0-9a-f]{10}$/);
  assert.equal(
    o.feed!.id,
    (parseSyncOptions(["--ics", "https://cal.example.org/a.ics"], env) as typeof o).feed!.id,
  );
  assert.equal(o.redisUrl, "redis://127.0.0.1:6379");
  assert.equal(o.allowPrivateAddresses, false);
  for (const flag of ["--allow-private-addresses", "--allow-private"]) {
    const allowed = parseSyncOptions(["--ics", "https://cal.example.org/a.ics", flag], env);
    assert.equal(allowed !== "help" && allowed.allowPrivateAddresses, true, flag);
  }
  assert.throws(() => parseSyncOptions(["--ics", "x", "--removed", "burn"], env), UsageError);
  assert.throws(() => parseSyncOptions(["--ics", "x", "--category-id", "abc"], env), /whole number/);
  assert.throws(() => parseSyncOptions(["--bogus"], env), UsageError);
  assert.throws(() => parseSyncOptions(["--config", "x.yaml"], env), /go together/);
  assert.equal(parseSyncOptions(["--help"], {}), "help");
});

test("the demo syncs the bundled sample against the emulator, then finds everything unchanged", async () => {
  const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [mainTs, "demo"], {
      env: { PATH: process.env.PATH ?? "", REDIS_URL: h.redisServer.url },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout }));
  });
  assert.equal(out.code, 0, out.stdout);
  const created = Number(/2\) First sync\n.*\n {2}created (\d+)/.exec(out.stdout)?.[1]);
  assert.ok(created > 5, out.stdout);
  assert.match(
    out.stdout,
    new RegExp(
      `3\\) Second sync, feed unchanged\\n.*\\(0 Discourse requests\\)\\n {2}created 0, updated 0, adopted 0, unchanged ${created}`,
    ),
  );
  assert.deepEqual(await h.redis.keys("dics-demo-*"), [], "the demo cleans up its keys");
  const noRedis = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [mainTs, "demo"], {
      env: { PATH: process.env.PATH ?? "", REDIS_URL: "redis://127.0.0.1:1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout }));
  });
  assert.equal(noRedis.code, 0);
  assert.match(noRedis.stdout, /Showing the plan only/);
  assert.match(noRedis.stdout, /create\s+2026-11-03 19:00\s+Weekly Study Group/);
});

test("--config --feed syncs one feed of the service configuration", async () => {
  h.writeFeed(numberedEvents(2));
  const { writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const config = join(h.dir, "config.yaml");
  writeFileSync(
    config,
    [
      "redis:",
      `  url: ${h.redisServer.url}`,
      "  prefix: cfg",
      "sites:",
      "  - id: forum",
      `    baseUrl: ${h.emu.url}`,
      "    apiKey: { env: FORUM_API_KEY }",
      "    requestsPerMinute: 600",
      "feeds:",
      "  - id: from-config",
      `    url: ${h.feedFile}`,
      "    categoryId: 3",
      "    tags: [configured]",
      "",
    ].join("\n"),
  );
  const ok = await cli(["--config", config, "--feed", "from-config"], { FORUM_API_KEY: h.emu.adminApiKey });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /feed from-config: ok .*\n {2}created 2/);
  assert.deepEqual(h.eventTopics()[0]!.tags, ["configured"]);
  assert.ok((await h.redis.keys("cfg:sync:from-config:*")).length > 0, "the configured prefix is used");
  const unknown = await cli(["--config", config, "--feed", "nope"], { FORUM_API_KEY: h.emu.adminApiKey });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /feed "nope" is not in .*\(feeds: from-config\)/);
});
