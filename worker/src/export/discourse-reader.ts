/**
 * Reads what exports need from a Discourse site over its API: the category tree (with which
 * categories are private), topics carrying a tag, and calendar-plugin events. Requests go through
 * the project's Discourse client, so they share the site's rate budget with the sync engine.
 */
import { DateTime } from "luxon";
import { z } from "zod";
import type { SiteConfig } from "../core/feed.ts";
import { createDiscourseClient } from "../discourse/client.ts";
import { rruleFromRecurrence } from "./plugin-recurrence.ts";
import type { CategoryInfo, DiscourseReader, PluginEvent } from "./types.ts";

/** A tag listing is read this many pages deep (30 topics a page) at most. */
export const MAX_TAG_PAGES = 100;
/** The plugin's documented maximum per request, and how many such pages are read at most. */
export const PLUGIN_PAGE = 200;
export const MAX_PLUGIN_PAGES = 50;

interface RawCategory {
  id: number;
  slug?: string;
  parent_category_id?: number | null;
  read_restricted?: boolean;
  subcategory_list?: RawCategory[];
}

interface RawPluginEvent {
  id: number;
  name?: string | null;
  starts_at: string;
  ends_at?: string | null;
  timezone?: string | null;
  all_day?: boolean | null;
  rrule?: string | null;
  recurrence?: string | null;
  recurrence_until?: string | null;
  status?: string | null;
  url?: string | null;
  location?: string | null;
  description?: string | null;
  category_id?: number | null;
  post?: {
    id?: number;
    url?: string;
    topic?: { id?: number; title?: string; tags?: (string | { name: string })[] };
  } | null;
}

/** One GET against the site's API, answering the JSON body. */
export type DiscourseGet = (path: string, query?: Record<string, string | number>) => Promise<unknown>;

export function clientGet(client: ReturnType<typeof createDiscourseClient>): DiscourseGet {
  return (path, query) => client.request("GET", path, z.unknown(), query ? { query } : {});
}

export function createDiscourseReader(
  site: SiteConfig,
  get: DiscourseGet = clientGet(createDiscourseClient(site)),
): DiscourseReader {
  const api = <T>(path: string, opts: { query?: Record<string, string | number | boolean> } = {}) =>
    get(
      path,
      opts.query
        ? Object.fromEntries(
            Object.entries(opts.query).map(([k, v]) => [k, typeof v === "boolean" ? String(v) : v]),
          )
        : undefined,
    ) as Promise<T>;
  const fail = (what: string, err: unknown): Error =>
    new Error(
      `site "${site.id}": cannot read ${what}: ${(err as Error).message.replace(/^site "[^"]*": /, "")}`,
    );
  const status = (err: unknown) =>
    (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;

  return {
    async categories() {
      try {
        const site_ = await api<{ categories?: RawCategory[] }>("/site.json");
        if (site_.categories) return site_.categories.map(toCategory);
      } catch {
        // Older or trimmed sites: the category list below carries the same facts.
      }
      try {
        const list = await api<{ category_list?: { categories?: RawCategory[] } }>("/categories.json", {
          query: { include_subcategories: true },
        });
        const flat: CategoryInfo[] = [];
        const walk = (cs: RawCategory[], parent?: number) => {
          for (const c of cs) {
            const info = toCategory(c);
            if (parent !== undefined && info.parentId === undefined) info.parentId = parent;
            flat.push(info);
            walk(c.subcategory_list ?? [], c.id);
          }
        };
        walk(list.category_list?.categories ?? []);
        return flat;
      } catch (err) {
        throw fail("categories", err);
      }
    },

    async topicIdsWithTag(tag) {
      const ids = new Set<number>();
      try {
        for (let page = 0; page < MAX_TAG_PAGES; page++) {
          const res = await api<{ topic_list?: { topics?: { id: number }[]; more_topics_url?: string } }>(
            `/tag/${encodeURIComponent(tag)}.json`,
            { query: { page } },
          );
          for (const t of res.topic_list?.topics ?? []) ids.add(t.id);
          if (!res.topic_list?.more_topics_url) break;
        }
      } catch (err) {
        if (status(err) === 404) return ids;
        throw fail(`tag "${tag}"`, err);
      }
      return ids;
    },

    async pluginEvents(opts) {
      // The plugin answers at most PLUGIN_PAGE events, oldest first; the next page starts at the
      // last start seen, so events at a page boundary come twice and are kept once.
      const byId = new Map<number, PluginEvent>();
      let after = opts.after;
      try {
        for (let page = 0; page < MAX_PLUGIN_PAGES; page++) {
          const res = await api<{ events?: RawPluginEvent[] }>("/discourse-post-event/events.json", {
            query: {
              include_details: true,
              order: "asc",
              limit: PLUGIN_PAGE,
              ...opts,
              ...(after ? { after } : {}),
            },
          });
          const events = (res.events ?? []).filter((e) => e && typeof e.starts_at === "string");
          const before = byId.size;
          for (const e of events) byId.set(e.id, toPluginEvent(e));
          if (events.length < PLUGIN_PAGE || byId.size === before) break;
          const lastEvent = events[events.length - 1]!;
          // Offset-less times (plugin builds showing local time) are in the event's zone.
          const next = DateTime.fromISO(lastEvent.starts_at, { zone: lastEvent.timezone || "UTC" })
            .toUTC()
            .toISO();
          if (!next || next === after) break;
          after = next;
        }
      } catch (err) {
        throw fail("calendar events", err);
      }
      return [...byId.values()];
    },
  };
}

function toCategory(c: RawCategory): CategoryInfo {
  const info: CategoryInfo = { id: c.id, restricted: c.read_restricted === true };
  if (typeof c.parent_category_id === "number") info.parentId = c.parent_category_id;
  if (c.slug) info.slug = c.slug;
  return info;
}

function toPluginEvent(e: RawPluginEvent): PluginEvent {
  const topic = e.post?.topic;
  const out: PluginEvent = {
    id: e.id,
    name: e.name ?? null,
    startsAt: e.starts_at,
    endsAt: e.ends_at ?? null,
    timezone: e.timezone ?? null,
    allDay: e.all_day === true,
    rrule: e.rrule ?? rruleFromRecurrence(e.recurrence, e.starts_at, e.timezone, e.recurrence_until) ?? null,
    status: e.status ?? "standalone",
    url: e.url ?? null,
    location: e.location ?? null,
    description: e.description ?? null,
    tags: (topic?.tags ?? []).map((t) => (typeof t === "string" ? t : t.name)),
  };
  if (typeof e.category_id === "number") out.categoryId = e.category_id;
  if (typeof e.post?.id === "number") out.postId = e.post.id;
  if (e.post?.url) out.postUrl = e.post.url;
  if (typeof topic?.id === "number") out.topicId = topic.id;
  if (topic?.title) out.topicTitle = topic.title;
  return out;
}
