/**
 * One logger for the whole worker: structured JSON (journald friendly) by default, readable lines on a
 * terminal. Secret-bearing fields are redacted by path so a careless log call cannot leak them.
 */
import { pino, type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

export const REDACTED_PATHS = [
  "apiKey",
  "*.apiKey",
  "*.*.apiKey",
  "password",
  "*.password",
  "*.*.password",
  "token",
  "*.token",
  "adminToken",
  "*.adminToken",
  "webhookSecret",
  "*.webhookSecret",
  "headers.authorization",
  "headers.Authorization",
  'headers["api-key"]',
  'headers["Api-Key"]',
  "*.headers.authorization",
  "*.headers.Authorization",
  '*.headers["api-key"]',
  '*.headers["Api-Key"]',
  // A whole feed or site logged by mistake: its credentials and custom headers.
  "source.basicAuth.password",
  "*.source.basicAuth.password",
  "*.*.source.basicAuth.password",
  "source.headers.*",
  "*.source.headers.*",
  "*.*.source.headers.*",
];

export interface LoggerOptions {
  level?: string;
  /** "json" (default when not a terminal) or "pretty". */
  format?: "json" | "pretty";
  name?: string;
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const format =
    opts.format ??
    (process.env.LOG_FORMAT as "json" | "pretty" | undefined) ??
    (process.stdout.isTTY ? "pretty" : "json");
  const base = {
    level: opts.level ?? process.env.LOG_LEVEL ?? "info",
    name: opts.name ?? "discourse-ics",
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  if (format === "pretty") {
    return pino(base, pretty({ sync: true, colorize: true, destination: opts.destination ?? 1 }));
  }
  return opts.destination ? pino(base, opts.destination) : pino(base);
}

/** A logger that drops everything, for pure code paths and quiet tests. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
