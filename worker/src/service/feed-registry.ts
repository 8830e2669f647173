/**
 * The feeds the worker runs: those from the config file (read-only) merged with those managed through
 * the API, which live in Redis so every worker process sees them without a restart. API feeds are
 * stored as their validated input (secret references, not secret values) and resolved when read.
 */
import type { Redis } from "ioredis";
import type { FeedConfig } from "../core/feed.ts";
import { redactUrl } from "../core/redact-url.ts";
import { feedSchema } from "./config-schema.ts";
import { formatPath, friendlyMessage } from "./config.ts";
import { apiFeedsKey } from "./keys.ts";
import { isSensitiveHeader, type SecretSources } from "./secrets.ts";

export type FeedOrigin = "file" | "api";

export interface FeedEntry {
  feed: FeedConfig;
  origin: FeedOrigin;
}

export class FeedInputError extends Error {
  readonly problems: { path: string; message: string }[];
  constructor(problems: { path: string; message: string }[]) {
    super(`invalid feed: ${problems.map((p) => `${p.path || "(body)"}: ${p.message}`).join("; ")}`);
    this.name = "FeedInputError";
    this.problems = problems;
  }
}

export interface FeedRegistry {
  list(): Promise<FeedEntry[]>;
  get(id: string): Promise<FeedEntry | undefined>;
  /** Validates and stores an API feed; throws FeedInputError with paths for each mistake. */
  put(input: unknown): Promise<FeedConfig>;
  remove(id: string): Promise<boolean>;
  isFileFeed(id: string): boolean;
}

export interface FeedRegistryOptions {
  redis: Redis;
  prefix: string;
  fileFeeds: FeedConfig[];
  siteIds: string[];
  secrets: SecretSources;
  onInvalidStoredFeed?: (id: string, err: FeedInputError) => void;
}

export function createFeedRegistry(o: FeedRegistryOptions): FeedRegistry {
  const fileIds = new Set(o.fileFeeds.map((f) => f.id));
  // stored feeds are checked again when read, so one saved before this rule is skipped, not fetched
  const schema = feedSchema(o.secrets, o.siteIds.length === 1 ? o.siteIds[0] : undefined, {
    remoteOnly: true,
  });
  const validate = (input: unknown): FeedConfig => {
    const r = schema.safeParse(input);
    if (!r.success) {
      throw new FeedInputError(
        r.error.issues.map((i) => ({ path: formatPath(i.path), message: friendlyMessage(i) })),
      );
    }
    if (!o.siteIds.includes(r.data.siteId)) {
      throw new FeedInputError([
        { path: "site", message: `unknown site "${r.data.siteId}" (sites: ${o.siteIds.join(", ")})` },
      ]);
    }
    return r.data;
  };
  const stored = async (): Promise<FeedEntry[]> => {
    const all = await o.redis.hgetall(apiFeedsKey(o.prefix));
    const out: FeedEntry[] = [];
    for (const [id, json] of Object.entries(all)) {
      if (fileIds.has(id)) continue;
      try {
        out.push({ feed: validate(JSON.parse(json)), origin: "api" });
      } catch (err) {
        if (err instanceof FeedInputError) o.onInvalidStoredFeed?.(id, err);
        else throw err;
      }
    }
    return out.sort((a, b) => a.feed.id.localeCompare(b.feed.id));
  };
  return {
    async list() {
      return [...o.fileFeeds.map((feed) => ({ feed, origin: "file" as const })), ...(await stored())];
    },
    async get(id) {
      const file = o.fileFeeds.find((f) => f.id === id);
      if (file) return { feed: file, origin: "file" };
      const json = await o.redis.hget(apiFeedsKey(o.prefix), id);
      if (!json) return undefined;
      try {
        return { feed: validate(JSON.parse(json)), origin: "api" };
      } catch (err) {
        // as in list(): a stored feed the rules no longer accept is reported and left alone
        if (!(err instanceof FeedInputError)) throw err;
        o.onInvalidStoredFeed?.(id, err);
        return undefined;
      }
    },
    async put(input) {
      const feed = validate(input);
      if (fileIds.has(feed.id)) {
        throw new FeedInputError([
          { path: "id", message: `feed "${feed.id}" comes from the config file and is read-only` },
        ]);
      }
      await o.redis.hset(apiFeedsKey(o.prefix), feed.id, JSON.stringify(input));
      return feed;
    },
    async remove(id) {
      return (await o.redis.hdel(apiFeedsKey(o.prefix), id)) > 0;
    },
    isFileFeed(id) {
      return fileIds.has(id);
    },
  };
}

/** The feed as the API shows it: no password, no secret-looking header values, no token in its URL. */
export function redactFeed(feed: FeedConfig): FeedConfig {
  const { source } = feed;
  return {
    ...feed,
    source: {
      url: redactUrl(source.url),
      ...(source.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(source.headers).map(([k, v]) => [k, isSensitiveHeader(k) ? "[redacted]" : v]),
            ),
          }
        : {}),
      ...(source.basicAuth
        ? { basicAuth: { username: source.basicAuth.username, password: "[redacted]" } }
        : {}),
    },
  };
}
