/**
 * Built exports live in Redis (one hash per export), compressed once per build rather than once per
 * request; each process keeps the last copy it read and asks Redis only for the ETag to stay fresh.
 */
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { brotliCompress, constants as zlib, gzip } from "node:zlib";
import type { Redis } from "ioredis";

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export type Encoding = "identity" | "gzip" | "br";

export interface CachedExport {
  name: string;
  /** Quoted strong validator of the identity body, e.g. "\"3q2-…\"". */
  etag: string;
  /** HTTP date of the last content change. */
  lastModified: string;
  builtAt: string;
  eventCount: number;
  /** Why it may not be served (a private category without a token); bodies are empty then. */
  refusal?: string;
  bodies: Record<Encoding, Buffer>;
}

export interface StoreResult {
  changed: boolean;
  etag: string;
}

export function exportKey(prefix: string, name: string): string {
  return `${prefix}:export:feed:${name}`;
}

export function etagOf(body: string | Buffer): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
}

export async function compressAll(body: string): Promise<Record<Encoding, Buffer>> {
  const identity = Buffer.from(body, "utf8");
  const [gz, br] = await Promise.all([
    gzipAsync(identity, { level: 9 }),
    brotliAsync(identity, {
      params: {
        [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
        [zlib.BROTLI_PARAM_QUALITY]: 9,
        [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
  ]);
  return { identity, gzip: gz, br };
}

export function createExportCache(redis: Redis, prefix: string) {
  const memory = new Map<string, CachedExport>();

  return {
    /** Store a fresh build; Last-Modified only moves when the bytes do. */
    async store(name: string, body: string, eventCount: number, now: Date): Promise<StoreResult> {
      const key = exportKey(prefix, name);
      const etag = etagOf(body);
      const [prevEtag, prevModified] = await redis.hmget(key, "etag", "lastModified");
      const changed = prevEtag !== etag;
      const lastModified = !changed && prevModified ? prevModified : now.toUTCString();
      if (!changed) {
        await redis.hset(key, { builtAt: now.toISOString(), eventCount: String(eventCount), refusal: "" });
        return { changed, etag };
      }
      const bodies = await compressAll(body);
      await redis.hset(key, {
        etag,
        lastModified,
        builtAt: now.toISOString(),
        eventCount: String(eventCount),
        refusal: "",
        identity: bodies.identity,
        gzip: bodies.gzip,
        br: bodies.br,
      });
      return { changed, etag };
    },

    async storeRefusal(name: string, refusal: string, now: Date): Promise<void> {
      const key = exportKey(prefix, name);
      await redis.del(key);
      await redis.hset(key, {
        etag: etagOf(`refused:${refusal}`),
        lastModified: now.toUTCString(),
        builtAt: now.toISOString(),
        eventCount: "0",
        refusal,
      });
    },

    /**
     * The current build. While Redis cannot be reached, the copy this process served last is served
     * on (subscribers are better off with a feed a few minutes old than with an error).
     */
    async get(name: string): Promise<CachedExport | null> {
      const key = exportKey(prefix, name);
      const known = memory.get(name);
      let etag: string | null;
      try {
        etag = await redis.hget(key, "etag");
      } catch (err) {
        if (known) return known;
        throw err;
      }
      if (!etag) return null;
      if (known && known.etag === etag) return known;
      // One command, so a build landing meanwhile cannot mix old and new fields.
      const all = await redis.hgetallBuffer(key);
      const text = (field: string) => all[field]?.toString("utf8");
      const storedEtag = text("etag");
      if (!storedEtag) return null;
      const entry: CachedExport = {
        name,
        etag: storedEtag,
        lastModified: text("lastModified") ?? new Date(0).toUTCString(),
        builtAt: text("builtAt") ?? "",
        eventCount: Number(text("eventCount") ?? 0),
        bodies: {
          identity: all["identity"] ?? Buffer.alloc(0),
          gzip: all["gzip"] ?? Buffer.alloc(0),
          br: all["br"] ?? Buffer.alloc(0),
        },
      };
      const refusal = text("refusal");
      if (refusal) entry.refusal = refusal;
      memory.set(name, entry);
      return entry;
    },
  };
}

export type ExportCache = ReturnType<typeof createExportCache>;
