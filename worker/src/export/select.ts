/**
 * Which events belong to an export: categories (with subcategories), tags, and the privacy rule —
 * an export without a token never carries events from a category only some groups may read.
 */
import type { ExportConfig } from "../core/feed.ts";
import type { ImportedEventRecord } from "../core/imported-event.ts";
import type { CategoryInfo, PluginEvent } from "./types.ts";

export interface CategoryScope {
  /** null: any category. */
  allowed: Set<number> | null;
  /** Set when the export names a private category but has no token: it must not be served. */
  refusal?: string;
}

/** `allowPrivate` defaults to "the export has a token"; admin one-off exports decide it themselves. */
export function resolveCategoryScope(
  config: ExportConfig,
  categories: CategoryInfo[],
  allowPrivate = Boolean(config.token),
): CategoryScope {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const guarded = !allowPrivate;
  if (config.categoryIds.length === 0) {
    if (!guarded) return { allowed: null };
    return { allowed: new Set(categories.filter((c) => !c.restricted).map((c) => c.id)) };
  }
  const privateIds = config.categoryIds.filter((id) => byId.get(id)?.restricted);
  if (guarded && privateIds.length > 0) {
    return {
      allowed: new Set(),
      refusal: `export "${config.name}" includes private category ${privateIds.join(", ")}; give it a token to serve it`,
    };
  }
  // A category the list does not show may be private (hidden from the API user): fail closed.
  const unknownIds = config.categoryIds.filter((id) => !byId.has(id));
  if (guarded && unknownIds.length > 0) {
    return {
      allowed: new Set(),
      refusal: `export "${config.name}" names category ${unknownIds.join(", ")}, which the forum's category list does not show (missing, or hidden from the API user); only categories known to be public are served without a token`,
    };
  }
  const allowed = new Set(config.categoryIds);
  if (config.includeSubcategories) {
    let grew = true;
    while (grew) {
      grew = false;
      for (const c of categories) {
        if (c.parentId !== undefined && allowed.has(c.parentId) && !allowed.has(c.id)) {
          if (guarded && c.restricted) continue;
          allowed.add(c.id);
          grew = true;
        }
      }
    }
  }
  return { allowed };
}

export function selectRecords(
  records: ImportedEventRecord[],
  config: ExportConfig,
  scope: CategoryScope,
  taggedTopics: Set<number> | null,
): ImportedEventRecord[] {
  return records.filter(
    (r) =>
      r.siteId === config.siteId &&
      r.state !== "removed" &&
      (scope.allowed === null || scope.allowed.has(r.categoryId)) &&
      (taggedTopics === null || taggedTopics.has(r.topicId)),
  );
}

/**
 * Calendar-plugin events of the export. Events the worker imported itself also show up in the
 * plugin's list (their posts carry [event] blocks); those are left to the imported records so each
 * keeps its source UID.
 */
export function selectPluginEvents(
  events: PluginEvent[],
  config: ExportConfig,
  scope: CategoryScope,
  importedTopics: Set<number>,
): PluginEvent[] {
  const tags = new Set(config.tags.map((t) => t.toLowerCase()));
  return events.filter(
    (e) =>
      e.status !== "private" &&
      (e.topicId === undefined || !importedTopics.has(e.topicId)) &&
      (scope.allowed === null || (e.categoryId !== undefined && scope.allowed.has(e.categoryId))) &&
      (tags.size === 0 || e.tags.some((t) => tags.has(t.toLowerCase()))),
  );
}
