/**
 * Finds topics in the feed's category that may already stand for one of its events, with their first
 * post's raw text, so the planner can adopt them. A search cannot replace the category list, because
 * Discourse does not index HTML comments or data-* attributes, where the identity markers live.
 *
 * What keeps it cheap, for every feed of a site sharing the category:
 * - topics any feed of the site owns are never read (one Redis set, kept by the state store);
 * - every topic read is remembered with its list version (bumped_at and last_posted_at), adoptable
 *   or not, so it is read again only after it changed;
 * - the list is ordered by bumped_at, so paging stops below the newest entry the last complete scan
 *   saw: everything older is known, and remembered candidates stand in for it. Once a day the whole
 *   list is walked again, which also forgets topics that left the category.
 */
import type { FeedConfig } from "../core/feed.ts";
import type { DiscourseClient } from "../discourse/client.ts";
import { DiscourseError } from "../discourse/errors.ts";
import type { TopicListItem } from "../discourse/schemas.ts";
import { mayStandForEvent, readCandidate, type TopicCandidate } from "./adoption.ts";
import type { ScanEntry, StateStore } from "./state-store.ts";

export const DEFAULT_SCAN_PAGES = 10;

export interface ScanOptions {
  maxPages?: number;
  signal?: AbortSignal;
  /** Dry run: read Discourse, remember nothing. */
  readOnly?: boolean;
  /** Day (UTC, YYYY-MM-DD) of the run; a new day walks the whole list. */
  today?: string;
}

function isCategoryDefinition(title: string): boolean {
  return /^About the .+ category$/i.test(title);
}

function versionOf(t: TopicListItem): string {
  return `${t.bumped_at ?? ""}|${t.last_posted_at ?? ""}`;
}

export async function scanCategory(
  client: DiscourseClient,
  store: StateStore,
  feed: FeedConfig,
  knownTopicIds: ReadonlySet<number>,
  opts: ScanOptions = {},
): Promise<TopicCandidate[]> {
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const state = await store.getScanState(feed.siteId, feed.categoryId, { readOnly: opts.readOnly });
  const owned = new Set([...state.owned, ...knownTopicIds]);
  const watermark = state.mark?.day === today ? state.mark.newest : undefined;
  const fresh = new Map<number, ScanEntry>();
  const listed = new Set<number>();
  const out: TopicCandidate[] = [];
  const maxPages = opts.maxPages ?? DEFAULT_SCAN_PAGES;
  const knownPath = await store.getCategoryPath(feed.siteId, feed.categoryId);
  let path = knownPath ?? `/c/${feed.categoryId}`;
  let newest: string | undefined;
  let caughtUp = false;
  let reachedEnd = false;
  let aborted = false;
  for (let page = 0; page < maxPages; page++) {
    if (opts.signal?.aborted) {
      aborted = true;
      break;
    }
    let list;
    try {
      ({ list, path } = await client.categoryPage(path, page));
    } catch (err) {
      // a renamed category moves its canonical path: start again from the id
      if (!(err instanceof DiscourseError && err.status === 404 && knownPath && page === 0)) throw err;
      ({ list, path } = await client.categoryPage(`/c/${feed.categoryId}`, page));
    }
    if (path !== knownPath && !opts.readOnly) await store.putCategoryPath(feed.siteId, feed.categoryId, path);
    const topics = list.topic_list.topics;
    // other feeds' runs may have made topics since the owned set was read: ask again before reading
    const unknown = topics.filter(
      (t) => !owned.has(t.id) && state.entries.get(t.id)?.version !== versionOf(t),
    );
    for (const id of await store.ownedAmong(
      feed.siteId,
      unknown.map((t) => t.id),
    ))
      owned.add(id);
    for (const t of topics) {
      listed.add(t.id);
      // pinned topics head the list whatever their age
      if (!t.pinned && t.bumped_at) {
        if (page === 0 && (!newest || t.bumped_at > newest)) newest = t.bumped_at;
        if (watermark && t.bumped_at < watermark) caughtUp = true;
      }
      if (owned.has(t.id) || isCategoryDefinition(t.title)) continue;
      if (t.category_id != null && t.category_id !== feed.categoryId) continue;
      const version = versionOf(t);
      const known = state.entries.get(t.id);
      if (known?.version === version) {
        if (known.candidate) out.push({ ...known.candidate, cached: true });
        continue;
      }
      const entry = await readTopic(client, t.id, version);
      if (!entry) continue;
      fresh.set(t.id, entry);
      if (entry.candidate) out.push(entry.candidate);
    }
    if (caughtUp) break;
    if (!list.topic_list.more_topics_url) {
      reachedEnd = true;
      break;
    }
  }
  // below the watermark nothing changed since it was read: remembered candidates stand for it
  if (caughtUp) {
    for (const [id, e] of state.entries) {
      if (e.candidate && !listed.has(id) && !owned.has(id)) out.push({ ...e.candidate, cached: true });
    }
  }
  if (!opts.readOnly) {
    const full = watermark === undefined;
    await store.putScanState(feed.siteId, feed.categoryId, {
      entries: fresh,
      ...(full && reachedEnd ? { forget: [...state.entries.keys()].filter((id) => !listed.has(id)) } : {}),
      ...(!aborted && newest ? { mark: { newest, day: today } } : {}),
    });
  }
  return out;
}

/** Reads a topic's first post; undefined when it cannot be read (gone, or hidden from the API user). */
async function readTopic(
  client: DiscourseClient,
  topicId: number,
  version: string,
): Promise<ScanEntry | undefined> {
  try {
    const view = await client.topic(topicId);
    const first = view.post_stream.posts.find((p) => p.post_number === 1);
    // staff see deleted topics too; they are not for adopting
    if (view.deleted_at || !first || first.raw === undefined) return undefined;
    const tags = view.tags ?? [];
    // whether it is adoptable does not depend on the zone, only on a marker or a time being there
    if (!mayStandForEvent(readCandidate(first.raw, "UTC", tags))) return { version };
    return { version, candidate: { topicId, postId: first.id, title: view.title, raw: first.raw, tags } };
  } catch (err) {
    if (err instanceof DiscourseError && (err.status === 403 || err.status === 404)) return undefined;
    throw err;
  }
}
