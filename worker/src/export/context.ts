/**
 * Turns ExportDeps into what the routes and the worker use: configs by name, the record source
 * (the sync engine's state store unless one is given), Discourse readers, the cache and a builder.
 */
import type { ExportConfig, SiteConfig } from "../core/feed.ts";
import { createStateStore } from "../sync/state-store.ts";
import { createExportCache, type ExportCache } from "./cache.ts";
import { createDiscourseClient } from "../discourse/client.ts";
import { createSiteRateLimiter } from "../discourse/rate-limiter.ts";
import { clientGet, createDiscourseReader } from "./discourse-reader.ts";
import { gatherAndBuild, type GatherOptions, type GatherResult } from "./gather.ts";
import { withPluginRevisions } from "./plugin-revisions.ts";
import type { DiscourseReader, ExportDeps, PluginEvent } from "./types.ts";

export interface ExportContext {
  deps: ExportDeps;
  cache: ExportCache;
  now(): Date;
  exportByName(name: string): ExportConfig | undefined;
  site(id: string): SiteConfig | undefined;
  /** Build an export now and store it; returns what was stored. */
  rebuild(name: string): Promise<{ eventCount: number; changed: boolean } | { refused: string }>;
  build(config: ExportConfig, opts?: GatherOptions): Promise<GatherResult>;
}

/** `serveRedis`: the connection feeds are read through (the HTTP side gives one that fails fast). */
export function createExportContext(deps: ExportDeps, serveRedis = deps.redis): ExportContext {
  const cache = createExportCache(serveRedis, deps.redisPrefix);
  const now = deps.now ?? (() => new Date());
  const exports = new Map(deps.exports.map((e) => [e.name, e]));
  const sites = new Map(deps.sites.map((s) => [s.id, s]));
  const readers = new Map<string, DiscourseReader>();
  const records = deps.records ?? createStateStore(deps.redis, deps.redisPrefix);

  const reader = (site: SiteConfig): DiscourseReader => {
    let r = readers.get(site.id);
    if (!r) {
      r = deps.discourse
        ? deps.discourse(site)
        : createDiscourseReader(
            site,
            clientGet(
              createDiscourseClient(site, {
                limiter: createSiteRateLimiter(deps.redis, site.id, site.requestsPerMinute, deps.redisPrefix),
                logger: deps.logger,
              }),
            ),
          );
      readers.set(site.id, r);
    }
    return r;
  };

  const build = async (config: ExportConfig, opts: GatherOptions = {}): Promise<GatherResult> => {
    const site = sites.get(config.siteId);
    if (!site) throw new Error(`export "${config.name}": unknown site "${config.siteId}"`);
    const revise = (events: PluginEvent[]) =>
      withPluginRevisions(deps.redis, deps.redisPrefix, site.id, events, now());
    return gatherAndBuild(config, { site, records, reader: reader(site), revise }, opts);
  };

  return {
    deps,
    cache,
    now,
    exportByName: (name) => exports.get(name),
    site: (id) => sites.get(id),
    build,
    async rebuild(name) {
      const config = exports.get(name);
      if (!config) throw new Error(`export "${name}" is not configured`);
      const result = await build(config);
      if (result.refused) {
        await cache.storeRefusal(name, result.reason, now());
        deps.logger.error({ export: name, reason: result.reason }, "export refused");
        return { refused: result.reason };
      }
      const stored = await cache.store(name, result.body, result.eventCount, now());
      return { eventCount: result.eventCount, changed: stored.changed };
    },
  };
}
