/** The inspect command end to end, as a child process (exit codes, table, JSON). */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { calendar, vevent } from "./helpers.ts";

const main = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const sample = fileURLToPath(new URL("../../samples/community-events.ics", import.meta.url));

function inspect(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [main, "inspect", ...args],
      { env: { ...process.env, COLUMNS: "200" } },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "ics-inspect-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("a clean feed: table in the requested zone, exit 0", async () => {
  const path = join(dir, "clean.ics");
  const start = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10).replaceAll("-", "");
  await writeFile(
    path,
    calendar(...vevent("UID:one@test", `DTSTART:${start}T120000Z`, "SUMMARY:Noon talk", "LOCATION:Hall")),
  );
  const r = await inspect(path, "--tz", "Asia/Tokyo");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /start \(Asia\/Tokyo\)/);
  assert.match(r.stdout, /21:00 .* Noon talk +Hall +one@test/);
});

test("--json prints events, stats and problems; problems give exit 1", async () => {
  const r = await inspect(sample, "--json", "--past-days", "0", "--future-days", "3650");
  const out = JSON.parse(r.stdout) as { events: unknown[]; problems: unknown[]; stats: { vevents: number } };
  assert.equal(out.stats.vevents, 14);
  assert.ok(Array.isArray(out.events));
  assert.equal(r.code, out.problems.length > 0 ? 1 : 0);

  const path = join(dir, "broken.ics");
  await writeFile(path, calendar(...vevent("UID:bad", "DTSTART;TZID=Nowhere/City:20300101T100000")));
  const broken = await inspect(path, "--future-days", "3650");
  assert.equal(broken.code, 1);
  assert.match(broken.stdout, /1 problem:\n {2}\[unknown-timezone\] .*Nowhere\/City/);
});

test("refused or unreadable input exits 2 with the reason", async () => {
  const html = join(dir, "page.ics");
  await writeFile(html, "<!doctype html><title>Login</title>");
  const r = await inspect(html);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /HTML/);
  const blocked = await inspect("http://127.0.0.1:9/feed.ics");
  assert.equal(blocked.code, 2);
  assert.match(blocked.stderr, /loopback/);
  const usage = await inspect();
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /usage: discourse-ics inspect/);
  const badTz = await inspect(html, "--tz", "Mars/Base");
  assert.equal(badTz.code, 2);
});
