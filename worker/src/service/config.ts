/**
 * Loads the service configuration once at start: a YAML file plus a few environment variables, validated
 * with the zod schema. Every mistake is reported with its path in the file, its line and what was expected.
 */
import { readFileSync } from "node:fs";
import { isMap, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import type { ExportConfig, FeedConfig, SiteConfig } from "../core/feed.ts";
import { serviceSchema } from "./config-schema.ts";
import { defaultSecretSources, type SecretSources } from "./secrets.ts";

export interface ServiceConfig {
  redis: { url: string; prefix: string };
  http: {
    host: string;
    port: number;
    adminToken?: string;
    corsOrigins: string[];
    statusEndpoint: boolean;
    publicBaseUrl?: string;
  };
  worker: {
    concurrency: number;
    attempts: number;
    backoffSeconds: number;
    keepCompletedJobs: number;
    keepFailedJobs: number;
    schedulerCheckSeconds: number;
  };
  /** Given to the feed fetcher for every feed (the private-address guard). */
  fetch: { allowPrivateAddresses: boolean; allowedHosts: string[] };
  sites: SiteConfig[];
  feeds: FeedConfig[];
  statusTopic?: { siteId: string; categoryId: number };
  exports: ExportConfig[];
  /** Whether inline secrets were allowed (API-managed feeds follow the same rule). */
  allowInlineSecrets: boolean;
}

export interface ConfigProblem {
  /** e.g. "feeds[2].schedule" */
  path: string;
  line?: number;
  column?: number;
  message: string;
}

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(file: string, problems: ConfigProblem[]) {
    const lines = problems.map(
      (p) =>
        `  ${file}${p.line ? `:${p.line}:${p.column ?? 1}` : ""} ${p.path || "(top level)"}: ${p.message}`,
    );
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`,
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Environment variables that override or complete the file (documented in docs/service.md). */
function applyEnvironment(raw: Record<string, unknown>, env: SecretSources["env"]): void {
  const section = (name: string): Record<string, unknown> => {
    const existing = raw[name];
    if (existing && typeof existing === "object" && !Array.isArray(existing))
      return existing as Record<string, unknown>;
    const created: Record<string, unknown> = {};
    if (existing === undefined) raw[name] = created;
    return created;
  };
  if (env.REDIS_URL) section("redis").url = env.REDIS_URL;
  if (env.DICS_REDIS_PREFIX) section("redis").prefix = env.DICS_REDIS_PREFIX;
  if (env.DICS_HTTP_HOST) section("http").host = env.DICS_HTTP_HOST;
  if (env.DICS_HTTP_PORT) section("http").port = Number(env.DICS_HTTP_PORT);
  const http = section("http");
  if (http.adminToken === undefined && env.DICS_ADMIN_TOKEN) http.adminToken = { env: "DICS_ADMIN_TOKEN" };
  if (http.adminToken === undefined && env.DICS_ADMIN_TOKEN_FILE)
    http.adminToken = { file: env.DICS_ADMIN_TOKEN_FILE };
}

export function parseConfig(
  text: string,
  file = "config.yml",
  sources: Partial<SecretSources> = {},
): ServiceConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return {
          path: "",
          message: `YAML syntax: ${e.message.split("\n")[0]}`,
          line: pos.line,
          column: pos.col,
        };
      }),
    );
  }
  const raw = (doc.toJS() ?? {}) as unknown;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError(file, [
      { path: "", message: "expected a mapping (key: value pairs) at the top level" },
    ]);
  }
  const obj = raw as Record<string, unknown>;
  const full: SecretSources = {
    ...defaultSecretSources(),
    ...sources,
    allowInline: obj.allowInlineSecrets === true,
  };
  applyEnvironment(obj, full.env);
  const sites = Array.isArray(obj.sites) ? (obj.sites as { id?: unknown }[]) : [];
  const defaultSite = sites.length === 1 && typeof sites[0]?.id === "string" ? sites[0].id : undefined;
  const result = serviceSchema(full, defaultSite).safeParse(obj);
  if (!result.success) {
    throw new ConfigError(
      file,
      result.error.issues.map((i) => toProblem(i, doc, lineCounter)),
    );
  }
  const c = result.data;
  return {
    redis: c.redis,
    http: c.http,
    worker: c.worker,
    fetch: c.fetch,
    sites: c.sites,
    feeds: c.feeds,
    exports: c.exports,
    allowInlineSecrets: c.allowInlineSecrets,
    ...(c.statusTopic
      ? {
          statusTopic: { siteId: c.statusTopic.site ?? c.sites[0]!.id, categoryId: c.statusTopic.categoryId },
        }
      : {}),
  };
}

export function loadConfig(file: string, sources: Partial<SecretSources> = {}): ServiceConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(file, [
      { path: "", message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? "error"})` },
    ]);
  }
  return parseConfig(text, file, sources);
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function toProblem(issue: z.core.$ZodIssue, doc: Document, lineCounter: LineCounter): ConfigProblem {
  const path = [...issue.path];
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0];
    const pos = keyPosition(doc, path, key, lineCounter);
    return {
      path: formatPath(key ? [...path, key] : path),
      message: issue.message.replace(/^Unrecognized key/, "unknown key"),
      ...pos,
    };
  }
  const pos = nodePosition(doc, path, lineCounter);
  return { path: formatPath(path), message: friendlyMessage(issue), ...pos };
}

/** A schema problem in the words the file's and the API's error lists use. */
export function friendlyMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) {
    return `required (expected ${issue.expected})`;
  }
  return issue.message.replace(/^Invalid input: /, "").replace(/^Invalid option: /, "");
}

/** Line of the deepest node along the path that exists (a missing key points at its parent mapping). */
function nodePosition(
  doc: Document,
  path: PropertyKey[],
  lc: LineCounter,
): { line?: number; column?: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as (string | number)[], true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      const { line, col } = lc.linePos(range[0]);
      return { line, column: col };
    }
  }
  return {};
}

function keyPosition(doc: Document, path: PropertyKey[], key: string | undefined, lc: LineCounter) {
  const parent = path.length ? doc.getIn(path as (string | number)[], true) : doc.contents;
  if (key !== undefined && isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
    const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      const { line, col } = lc.linePos(range[0]);
      return { line, column: col };
    }
  }
  return nodePosition(doc, path, lc);
}
