/**
 * Benchmark of the ingestion path: parse + normalise + expand of (1) the 4778-event Google feed of the
 * shared corpus and (2) a generated 10,000-event feed. Each run of a case is its own child process so
 * its peak memory is its own. Aim: under one second and 200 MB per case.
 *
 *   node bench/parse.ts [--runs N]   (from the repository root; default 3 runs per case;
 *                                     ICS_CORPUS overrides the corpus folder)
 *
 * Prints every run, then one verdict line per case: median wall and CPU time and the highest peak RSS,
 * each as a ratio to the aim. Wall time suffers most when the machine is busy; CPU time (user + system,
 * all threads, so it includes V8's helper threads) much less.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getHeapStatistics } from "node:v8";
import { parseFeedWithStats } from "../worker/src/ics/parse.ts";

const AIM_MS = 1000;
const AIM_MB = 200;

interface CaseResult {
  name: string;
  bytes: number;
  vevents: number;
  events: number;
  ms: number;
  /** User + system CPU time of the run: less disturbed than wall time on a busy machine. */
  cpuMs: number;
  rssMb: number;
  heapMb: number;
}

const corpus =
  process.env.ICS_CORPUS ??
  fileURLToPath(new URL("../../shared/ics-corpus/", import.meta.url));

/** A feed like a busy community calendar: zoned, UTC and all-day singles, and weekly series. */
function generateFeed(count: number): string {
  const zones = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
  ];
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//bench//generated//EN",
    "X-WR-TIMEZONE:Europe/Berlin",
  ];
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i++) {
    const day = new Date(base + (i % 365) * 86_400_000);
    const ymd = day.toISOString().slice(0, 10).replaceAll("-", "");
    const hour = String(8 + (i % 12)).padStart(2, "0");
    lines.push(
      "BEGIN:VEVENT",
      `UID:gen-${i}@bench.example.org`,
      "DTSTAMP:20260101T000000Z",
      `SEQUENCE:${i % 3}`
    );
    lines.push(`SUMMARY:Generated event ${i} — talk\\, workshop & social`);
    lines.push(
      `DESCRIPTION:Line one\\nLine two with <b>some</b> markup and a link https://example.org/${i}`
    );
    lines.push(
      `LOCATION:Room ${i % 40}\\, Building ${i % 7}`,
      `URL:https://example.org/events/${i}`
    );
    if (i % 10 === 0) {
      lines.push(
        `DTSTART;TZID=Europe/Berlin:${ymd}T${hour}0000`,
        `DTEND;TZID=Europe/Berlin:${ymd}T${hour}3000`
      );
      lines.push("RRULE:FREQ=WEEKLY;COUNT=10");
    } else if (i % 10 === 1) {
      lines.push(`DTSTART;VALUE=DATE:${ymd}`, "DURATION:P2D");
    } else {
      const zone = zones[i % zones.length]!;
      const prop = zone === "UTC" ? "" : `;TZID=${zone}`;
      const z = zone === "UTC" ? "Z" : "";
      lines.push(
        `DTSTART${prop}:${ymd}T${hour}0000${z}`,
        `DTEND${prop}:${ymd}T${hour}4500${z}`
      );
    }
    lines.push("END:VEVENT");
  }
  lines.push("END:VCALENDAR", "");
  return lines.join("\r\n");
}

function runCase(
  name: string,
  file: string,
  window: { from: Date; to: Date }
): CaseResult {
  const bytes = readFileSync(file);
  // Start from a collected heap so the start-up garbage of loading modules is not counted.
  (globalThis as { gc?: () => void }).gc?.();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const { feed, stats } = parseFeedWithStats(bytes, {
    feedId: name,
    window,
    maxOccurrencesPerSeries: 100_000,
    maxEvents: 1_000_000,
  });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    name,
    bytes: bytes.length,
    vevents: stats.vevents,
    events: feed.events.length,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    // maxRSS is the operating system's high-water mark for this child process (kilobytes).
    rssMb: process.resourceUsage().maxRSS / 1024,
    // Committed V8 heap at the end of the run, with the result still referenced.
    heapMb: getHeapStatistics().total_heap_size / 1024 / 1024,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[mid]!
    : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One line per case: medians for time (wall and CPU), the worst run for memory, as ratios to the aim. */
function verdict(name: string, results: CaseResult[]): string {
  const wall = median(results.map((r) => r.ms));
  const cpu = median(results.map((r) => r.cpuMs));
  const rss = Math.max(...results.map((r) => r.rssMb));
  const ok = (ratio: number): string => (ratio < 1 ? "meets" : "MISSES");
  const walls = results.map((r) => r.ms.toFixed(0)).join("/");
  return (
    `${name}: time ${ok(wall / AIM_MS)} the aim: wall ${(wall / AIM_MS).toFixed(2)}x, ` +
    `CPU ${(cpu / AIM_MS).toFixed(2)}x of ${AIM_MS} ms (median of ${results.length}; wall ${walls} ms, ` +
    `CPU median ${cpu.toFixed(0)} ms); memory ${ok(rss / AIM_MB)} the aim: peak RSS ` +
    `${(rss / AIM_MB).toFixed(2)}x of ${AIM_MB} MB (highest of ${results.length}: ${rss.toFixed(0)} MB)`
  );
}

const [, , mode, name, file, from, to] = process.argv;
if (mode === "--child") {
  const result = runCase(name!, file!, {
    from: new Date(from!),
    to: new Date(to!),
  });
  process.stdout.write(JSON.stringify(result));
} else {
  const runsArg = process.argv.indexOf("--runs");
  const runs =
    runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 1) : 3;
  const dir = mkdtempSync(join(tmpdir(), "ics-bench-"));
  try {
    const generated = join(dir, "generated-10000.ics");
    writeFileSync(generated, generateFeed(10_000));
    const cases: [string, string, string, string][] = [
      [
        "google-4778",
        join(corpus, "google/google-calendar_large-feed_4778-events.ics"),
        "2000-01-01T00:00:00Z",
        "2031-01-01T00:00:00Z",
      ],
      [
        "generated-10000",
        generated,
        "2025-12-01T00:00:00Z",
        "2027-06-01T00:00:00Z",
      ],
    ];
    const self = fileURLToPath(import.meta.url);
    console.log(
      "case             input      VEVENTs  events  time ms  cpu ms  VEVENTs/s  events/s  peak RSS MB  heap MB"
    );
    const verdicts: string[] = [];
    for (const [caseName, path, f, t] of cases) {
      const results: CaseResult[] = [];
      for (let i = 0; i < runs; i++) {
        const out = execFileSync(
          process.execPath,
          ["--expose-gc", self, "--child", caseName, path, f, t],
          { encoding: "utf8" }
        );
        const r = JSON.parse(out) as CaseResult;
        results.push(r);
        console.log(
          [
            r.name.padEnd(15),
            `${(r.bytes / 1024 / 1024).toFixed(2)} MB`.padStart(9),
            String(r.vevents).padStart(8),
            String(r.events).padStart(7),
            r.ms.toFixed(0).padStart(8),
            r.cpuMs.toFixed(0).padStart(7),
            Math.round(r.vevents / (r.ms / 1000))
              .toString()
              .padStart(10),
            Math.round(r.events / (r.ms / 1000))
              .toString()
              .padStart(9),
            r.rssMb.toFixed(0).padStart(12),
            r.heapMb.toFixed(0).padStart(8),
          ].join(" ")
        );
      }
      verdicts.push(verdict(caseName, results));
    }
    console.log("");
    for (const line of verdicts) console.log(line);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
