/**
 * Finds topics in the feed's category that the state store does not know, with their first post's
 * raw text, so the planner can adopt them. Walking the category list costs one request per 30 topics
 * plus one per unknown topic, once: what was read is cached by topic and last activity. A search
 * cannot replace it, because Discourse does not index HTML comments or data-* attributes, where the
 * identity markers live.
 */
import type { FeedConfig } from "../core/feed.ts";
import type { DiscourseClient } from "../discourse/client.ts";
import { DiscourseError } from "../discourse/errors.ts";
import type { TopicCandidate } from "./adoption.ts";
import type { StateStore } from "./state-store.ts";

export const DEFAULT_SCAN_PAGES = 10;

interface CachedTopic extends TopicCandidate {
  version: string;
}

function isCategoryDefinition(title: string): boolean {
  return /^About the .+ category$/i.test(title);
}

export async function scanCategory(
  client: DiscourseClient,
  store: StateStore,
  feed: FeedConfig,
  knownTopicIds: ReadonlySet<number>,
  opts: { maxPages?: number; signal?: AbortSignal; readOnly?: boolean } = {},
): Promise<TopicCandidate[]> {
  const cache = await store.getScanned(feed.id);
  const fresh = new Map<number, string>();
  const out: TopicCandidate[] = [];
  const maxPages = opts.maxPages ?? DEFAULT_SCAN_PAGES;
  const knownPath = await store.getCategoryPath(feed.siteId, feed.categoryId);
  let path = knownPath ?? `/c/${feed.categoryId}`;
  for (let page = 0; page < maxPages; page++) {
    if (opts.signal?.aborted) break;
    let list;
    try {
      ({ list, path } = await client.categoryPage(path, page));
    } catch (err) {
      // a renamed category moves its canonical path: start again from the id
      if (!(err instanceof DiscourseError && err.status === 404 && knownPath && page === 0)) throw err;
      ({ list, path } = await client.categoryPage(`/c/${feed.categoryId}`, page));
    }
    if (path !== knownPath && !opts.readOnly) await store.putCategoryPath(feed.siteId, feed.categoryId, path);
    for (const t of list.topic_list.topics) {
      if (knownTopicIds.has(t.id) || isCategoryDefinition(t.title)) continue;
      if (t.category_id != null && t.category_id !== feed.categoryId) continue;
      const version = `${t.bumped_at ?? ""}|${t.last_posted_at ?? ""}`;
      const cached = cache.get(t.id);
      if (cached) {
        const c = JSON.parse(cached) as CachedTopic;
        if (c.version === version) {
          out.push({ ...c, cached: true });
          continue;
        }
      }
      try {
        const view = await client.topic(t.id);
        const first = view.post_stream.posts.find((p) => p.post_number === 1);
        if (!first || first.raw === undefined) continue;
        const candidate: CachedTopic = {
          topicId: t.id,
          postId: first.id,
          title: view.title,
          raw: first.raw,
          tags: view.tags ?? [],
          version,
        };
        fresh.set(t.id, JSON.stringify(candidate));
        out.push(candidate);
      } catch (err) {
        if (err instanceof DiscourseError && (err.status === 403 || err.status === 404)) continue;
        throw err;
      }
    }
    if (!list.topic_list.more_topics_url) break;
  }
  if (!opts.readOnly) await store.putScanned(feed.id, fresh);
  return out;
}
