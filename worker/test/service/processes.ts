/** Helpers for tests that run `serve` as child processes against a private Redis and the emulator. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A Redis Cluster style hash-tag prefix, so the tests show every key of the service works with one. */
export const PREFIX = "{svc}";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  logs: string[];
  waitForLog(re: RegExp, ms?: number): Promise<string>;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnServe(
  configFile: string,
  env: Record<string, string>,
  args: string[] = ["--no-http"],
): ServeProcess {
  const child = spawn(process.execPath, [MAIN, "serve", "--config", configFile, ...args], {
    env: { ...process.env, LOG_FORMAT: "json", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const onLine = (line: string) => {
    if (!line) return;
    logs.push(line);
    for (const w of [...waiters]) {
      if (w.re.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  let buffer = "";
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    lines.forEach(onLine);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    logs,
    waitForLog(re, ms = 20_000) {
      const seen = logs.find((l) => re.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`no log line matching ${re} within ${ms} ms:\n${logs.slice(-15).join("\n")}`)),
          ms,
        );
        waiters.push({
          re,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
      });
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return await exited;
    },
  };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "dics-service-"));
}

/** An ICS feed of `count` one-hour events, one a day from tomorrow, with stable UIDs. */
export function writeFeed(dir: string, name: string, count: number, from = new Date()): string {
  const day = 86_400_000;
  const stamp = (d: Date) =>
    d
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
  const events = Array.from({ length: count }, (_, i) => {
    const start = new Date(Math.floor(from.getTime() / day) * day + (i + 1) * day + 18 * 3_600_000);
    const end = new Date(start.getTime() + 3_600_000);
    return [
      "BEGIN:VEVENT",
      `UID:${name}-${i}@example.org`,
      `DTSTAMP:${stamp(from)}`,
      `DTSTART:${stamp(start)}`,
      `DTEND:${stamp(end)}`,
      `SUMMARY:Meetup ${i + 1} of the ${name} group`,
      `LOCATION:Hall ${(i % 5) + 1}`,
      `DESCRIPTION:Gathering ${i + 1} of the ${name} series.`,
      "END:VEVENT",
    ].join("\r\n");
  });
  const path = join(dir, `${name}.ics`);
  writeFileSync(
    path,
    ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//service//EN", ...events, "END:VCALENDAR", ""].join(
      "\r\n",
    ),
  );
  return path;
}

export function writeConfig(
  dir: string,
  o: {
    emulatorUrl: string;
    feeds: { id: string; path: string }[];
    perMinute: number;
    concurrency?: number;
    /** Adoption mode of every feed (default off). */
    adoption?: "off" | "time-and-location" | "time-only";
    /** Lines added to every feed, indented like its keys. */
    feedLines?: string[];
    extra?: string;
  },
): string {
  const text = [
    "redis:",
    `  prefix: "${PREFIX}"`,
    "worker:",
    `  concurrency: ${o.concurrency ?? 4}`,
    "  backoffSeconds: 1",
    "  schedulerCheckSeconds: 5",
    "sites:",
    "  - id: forum",
    `    baseUrl: ${o.emulatorUrl}`,
    "    apiKey: { env: TEST_DISCOURSE_KEY }",
    `    requestsPerMinute: ${o.perMinute}`,
    "feeds:",
    ...o.feeds.flatMap((f) => [
      `  - id: ${f.id}`,
      `    url: ${f.path}`,
      "    categoryId: 3",
      "    schedule: 1h",
      `    adoption: ${o.adoption ?? "off"}`,
      "    window: { pastDays: 1, futureDays: 400 }",
      ...(o.feedLines ?? []).map((l) => `    ${l}`),
    ]),
    o.extra ?? "",
  ].join("\n");
  const path = join(dir, "service.yml");
  writeFileSync(path, text);
  return path;
}
