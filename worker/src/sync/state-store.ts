/**
 * What the sync engine remembers in Redis: one hash of ImportedEventRecords per feed, the set of feed
 * ids (for the exporter's listAll), and the fetch state of each feed (validators and body hash).
 * All keys start with the prefix; with Redis Cluster make the prefix a hash tag such as "{dics}" so
 * every key lands in one slot.
 */
import type { Redis } from "ioredis";
import type { ImportedEventRecord } from "../core/imported-event.ts";

export interface FetchState {
  etag?: string;
  lastModified?: string;
  hash?: string;
  /** Day (UTC, YYYY-MM-DD) of the last complete sync: the window moves daily, so a new day refetches. */
  day?: string;
}

export interface StateStore {
  get(feedId: string, eventKey: string): Promise<ImportedEventRecord | null>;
  list(feedId: string): Promise<ImportedEventRecord[]>;
  listAll(): Promise<ImportedEventRecord[]>;
  put(r: ImportedEventRecord): Promise<void>;
  delete(feedId: string, eventKey: string): Promise<void>;
  getFetchState(feedId: string): Promise<FetchState>;
  putFetchState(feedId: string, s: FetchState): Promise<void>;
  clearFetchState(feedId: string): Promise<void>;
  /** Topics of the feed's category already read during adoption, by topic id (saves re-reading). */
  getScanned(feedId: string): Promise<Map<number, string>>;
  putScanned(feedId: string, entries: Map<number, string>): Promise<void>;
  /** Canonical list path of a category ("/c/slug/id"), which saves Discourse's redirect. */
  getCategoryPath(siteId: string, categoryId: number): Promise<string | null>;
  putCategoryPath(siteId: string, categoryId: number, path: string): Promise<void>;
}

export function stateKeys(prefix: string, feedId: string) {
  return {
    feeds: `${prefix}:sync:feeds`,
    events: `${prefix}:sync:${feedId}:events`,
    fetch: `${prefix}:sync:${feedId}:fetch`,
    scanned: `${prefix}:sync:${feedId}:scanned`,
    categoryPaths: `${prefix}:sync:category-paths`,
  };
}

function parse(json: string): ImportedEventRecord | null {
  try {
    return JSON.parse(json) as ImportedEventRecord;
  } catch {
    return null;
  }
}

export function createStateStore(redis: Redis, prefix = "dics"): StateStore {
  const list = async (feedId: string) =>
    Object.values(await redis.hgetall(stateKeys(prefix, feedId).events))
      .map(parse)
      .filter((r): r is ImportedEventRecord => r !== null);
  const paths = stateKeys(prefix, "").categoryPaths;
  return {
    async getCategoryPath(siteId, categoryId) {
      return await redis.hget(paths, `${siteId}:${categoryId}`);
    },
    async putCategoryPath(siteId, categoryId, path) {
      await redis.hset(paths, `${siteId}:${categoryId}`, path);
    },
    async get(feedId, eventKey) {
      const json = await redis.hget(stateKeys(prefix, feedId).events, eventKey);
      return json ? parse(json) : null;
    },
    list,
    async listAll() {
      const feeds = await redis.smembers(stateKeys(prefix, "").feeds);
      return (await Promise.all(feeds.sort().map(list))).flat();
    },
    async put(r) {
      const k = stateKeys(prefix, r.feedId);
      await redis.multi().sadd(k.feeds, r.feedId).hset(k.events, r.eventKey, JSON.stringify(r)).exec();
    },
    async delete(feedId, eventKey) {
      await redis.hdel(stateKeys(prefix, feedId).events, eventKey);
    },
    async getFetchState(feedId) {
      const h = await redis.hgetall(stateKeys(prefix, feedId).fetch);
      const s: FetchState = {};
      if (h.etag) s.etag = h.etag;
      if (h.lastModified) s.lastModified = h.lastModified;
      if (h.hash) s.hash = h.hash;
      if (h.day) s.day = h.day;
      return s;
    },
    async putFetchState(feedId, s) {
      const k = stateKeys(prefix, feedId).fetch;
      const fields = Object.entries(s).filter(([, v]) => typeof v === "string" && v !== "");
      const m = redis.multi().del(k);
      if (fields.length) m.hset(k, Object.fromEntries(fields));
      await m.exec();
    },
    async clearFetchState(feedId) {
      await redis.del(stateKeys(prefix, feedId).fetch);
    },
    async getScanned(feedId) {
      const h = await redis.hgetall(stateKeys(prefix, feedId).scanned);
      return new Map(Object.entries(h).map(([k, v]) => [Number(k), v]));
    },
    async putScanned(feedId, entries) {
      if (entries.size === 0) return;
      await redis.hset(
        stateKeys(prefix, feedId).scanned,
        Object.fromEntries([...entries].map(([k, v]) => [String(k), v])),
      );
    },
  };
}
