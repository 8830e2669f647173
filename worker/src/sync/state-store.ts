/**
 * What the sync engine remembers in Redis: one hash of ImportedEventRecords per feed, the set of feed
 * ids (for the exporter's listAll), the fetch state of each feed (validators and body hash), the
 * topics each site's feeds own (so the category scan never reads them), and what the scan learnt
 * about the other topics of a category.
 * All keys start with the prefix; with Redis Cluster make the prefix a hash tag such as "{dics}" so
 * every key lands in one slot.
 */
import type { Redis } from "ioredis";
import type { ImportedEventRecord } from "../core/imported-event.ts";
import type { TopicCandidate } from "./adoption.ts";

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
  /** Everything the category scan needs, in one Redis round trip (after a one-time index backfill). */
  getScanState(siteId: string, categoryId: number, opts?: { readOnly?: boolean }): Promise<ScanState>;
  putScanState(siteId: string, categoryId: number, update: ScanUpdate): Promise<void>;
  /** Which of these topics a feed of the site owns now (another process may have just made them). */
  ownedAmong(siteId: string, topicIds: number[]): Promise<number[]>;
  /** Canonical list path of a category ("/c/slug/id"), which saves Discourse's redirect. */
  getCategoryPath(siteId: string, categoryId: number): Promise<string | null>;
  putCategoryPath(siteId: string, categoryId: number, path: string): Promise<void>;
}

/** What a scan learnt about a topic it read, valid while the topic's list entry keeps `version`. */
export interface ScanEntry {
  version: string;
  /** Present when the first post could stand for an event; absent when no feed could adopt it. */
  candidate?: Omit<TopicCandidate, "cached">;
}

export interface ScanMark {
  /** Newest bumped_at the last complete scan saw: older list entries are all known already. */
  newest: string;
  /** Day (UTC) of the last full scan; a new day scans the whole list again. */
  day: string;
}

export interface ScanState {
  /** Topics any feed of this site owns (a record points to them). */
  owned: Set<number>;
  entries: Map<number, ScanEntry>;
  mark: ScanMark | null;
}

export interface ScanUpdate {
  entries: Map<number, ScanEntry>;
  /** Topics no longer in the category. */
  forget?: number[];
  mark?: ScanMark;
}

export function stateKeys(prefix: string, feedId: string) {
  return {
    feeds: `${prefix}:sync:feeds`,
    events: `${prefix}:sync:${feedId}:events`,
    fetch: `${prefix}:sync:${feedId}:fetch`,
    /** Per-feed scan cache of earlier versions, removed by the owned-topics backfill. */
    legacyScanned: `${prefix}:sync:${feedId}:scanned`,
    categoryPaths: `${prefix}:sync:category-paths`,
    ownedBuilt: `${prefix}:sync:owned-index`,
  };
}

export function siteKeys(prefix: string, siteId: string, categoryId = 0) {
  return {
    owned: `${prefix}:sync:owned:${siteId}`,
    scan: `${prefix}:sync:scan:${siteId}:${categoryId}`,
    scanMark: `${prefix}:sync:scan:${siteId}:${categoryId}:mark`,
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
  const listAll = async () => {
    const feeds = await redis.smembers(stateKeys(prefix, "").feeds);
    return (await Promise.all(feeds.sort().map(list))).flat();
  };
  /** Records written before the owned-topics index existed are indexed once, on first use. */
  const backfillOwned = async () => {
    const records = await listAll();
    const feeds = await redis.smembers(stateKeys(prefix, "").feeds);
    const m = redis.multi();
    for (const r of records) m.sadd(siteKeys(prefix, r.siteId).owned, String(r.topicId));
    for (const f of feeds) m.del(stateKeys(prefix, f).legacyScanned);
    m.set(stateKeys(prefix, "").ownedBuilt, "1");
    await m.exec();
  };
  const readScan = async (siteId: string, categoryId: number) => {
    const k = siteKeys(prefix, siteId, categoryId);
    const res = await redis
      .multi()
      .exists(stateKeys(prefix, "").ownedBuilt)
      .smembers(k.owned)
      .hgetall(k.scan)
      .get(k.scanMark)
      .exec();
    if (!res || res.some(([err]) => err)) throw new Error("reading the category scan state failed");
    return res.map(([, v]) => v) as [number, string[], Record<string, string>, string | null];
  };
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
    listAll,
    async put(r) {
      const k = stateKeys(prefix, r.feedId);
      await redis
        .multi()
        .sadd(k.feeds, r.feedId)
        .hset(k.events, r.eventKey, JSON.stringify(r))
        .sadd(siteKeys(prefix, r.siteId).owned, String(r.topicId))
        .exec();
    },
    async delete(feedId, eventKey) {
      const k = stateKeys(prefix, feedId).events;
      const json = await redis.hget(k, eventKey);
      const r = json ? parse(json) : null;
      const m = redis.multi().hdel(k, eventKey);
      if (r) m.srem(siteKeys(prefix, r.siteId).owned, String(r.topicId));
      await m.exec();
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
    async getScanState(siteId, categoryId, opts = {}) {
      let [built, owned, entries, mark] = await readScan(siteId, categoryId);
      if (!built && opts.readOnly) {
        owned = (await listAll()).filter((r) => r.siteId === siteId).map((r) => String(r.topicId));
      } else if (!built) {
        await backfillOwned();
        [built, owned, entries, mark] = await readScan(siteId, categoryId);
      }
      const parsed = new Map<number, ScanEntry>();
      for (const [id, json] of Object.entries(entries)) {
        try {
          parsed.set(Number(id), JSON.parse(json) as ScanEntry);
        } catch {
          // an unreadable entry is read from Discourse again
        }
      }
      return {
        owned: new Set(owned.map(Number)),
        entries: parsed,
        mark: mark ? (JSON.parse(mark) as ScanMark) : null,
      };
    },
    async ownedAmong(siteId, topicIds) {
      if (topicIds.length === 0) return [];
      const flags = await redis.smismember(siteKeys(prefix, siteId).owned, ...topicIds.map(String));
      return topicIds.filter((_, i) => flags[i] === 1);
    },
    async putScanState(siteId, categoryId, update) {
      const k = siteKeys(prefix, siteId, categoryId);
      const m = redis.multi();
      if (update.forget?.length) m.hdel(k.scan, ...update.forget.map(String));
      if (update.entries.size) {
        const fields = [...update.entries].map(([id, e]) => [String(id), JSON.stringify(e)]);
        m.hset(k.scan, Object.fromEntries(fields));
      }
      if (update.mark) m.set(k.scanMark, JSON.stringify(update.mark));
      await m.exec();
    },
  };
}
