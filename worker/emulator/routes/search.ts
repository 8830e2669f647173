/** GET /search.json: filters, AND-matched stemmed terms over title, category, tags and scrubbed cooked. */
import type { Route, RouteRequest, SiteContext } from "../context.ts";
import { route } from "../context.ts";
import type { Post, Topic } from "../model.ts";
import { iso } from "../model.ts";
import { invalidParameters } from "../errors.ts";
import type { Reply } from "../reply.ts";
import { json } from "../reply.ts";
import { avatarTemplate, topicListItem } from "../serialize.ts";
import type { Json } from "../serialize.ts";
import { matches, scrubCooked, stem, words } from "../search-text.ts";
import { cleanTag } from "../text.ts";
import { listable } from "../visibility.ts";

interface Query {
  terms: string[];
  anyTags: string[][];
  categoryIds: number[] | null;
  firstOnly: boolean;
  order: "relevance" | "latest" | "oldest";
  status: string | null;
  hasFilter: boolean;
}

function parseQuery(ctx: SiteContext, q: string): Query {
  const out: Query = {
    terms: [],
    anyTags: [],
    categoryIds: null,
    firstOnly: false,
    order: "relevance",
    status: null,
    hasFilter: false,
  };
  const s = ctx.settings;
  const categoryBySlug = (slug: string): number[] | null => {
    const [a, b] = slug.toLowerCase().split(":");
    const c = b
      ? ctx.store.categories.find((x) => x.slug === b && ctx.store.category(x.parentId ?? -1)?.slug === a)
      : ctx.store.categories.find((x) => x.slug === a || x.name.toLowerCase() === a || String(x.id) === a);
    return c ? ctx.store.withSubcategories(c.id) : null;
  };
  for (const token of q.split(/\s+/).filter(Boolean)) {
    let m: RegExpExecArray | null;
    if ((m = /^tags?:(.+)$/i.exec(token))) {
      const v = m[1] as string;
      const names = (v.includes("+") ? v.split("+") : v.split(",")).map((n) =>
        cleanTag(n, s.max_tag_length, s.force_lowercase_tags),
      );
      // tags:a+b needs all of them; tags:a,b any of them
      if (v.includes("+")) out.anyTags.push(...names.map((n) => [n]));
      else out.anyTags.push(names);
      out.hasFilter = true;
    } else if ((m = /^#(.+)$/.exec(token))) {
      const ids = categoryBySlug(m[1] as string);
      if (ids) out.categoryIds = ids;
      else out.anyTags.push([(m[1] as string).toLowerCase()]);
      out.hasFilter = true;
    } else if ((m = /^category:(.+)$/i.exec(token))) {
      out.categoryIds = categoryBySlug(m[1] as string) ?? [];
      out.hasFilter = true;
    } else if (/^in:(first|f)$/i.test(token)) {
      out.firstOnly = true;
      out.hasFilter = true;
    } else if ((m = /^order:(latest|oldest|latest_topic|oldest_topic)$/i.exec(token))) {
      out.order = (m[1] as string).toLowerCase().startsWith("latest") ? "latest" : "oldest";
      out.hasFilter = true;
    } else if ((m = /^status:(open|closed|archived|public)$/i.exec(token))) {
      out.status = (m[1] as string).toLowerCase();
      out.hasFilter = true;
    } else {
      for (const w of words(token)) if ([...w].length >= s.min_search_term_length) out.terms.push(w);
    }
  }
  return out;
}

const stemCache = new WeakMap<Post, { key: string; stems: Set<string> }>();

/** The post's search data (SearchIndexer reindexes on every save; here it is rebuilt when its inputs change). */
function indexedStems(ctx: SiteContext, t: Topic, p: Post): Set<string> {
  const category = ctx.store.category(t.categoryId)?.name ?? "";
  const tags = ctx.store.tagNames(t).join(" ");
  const key = `${t.title}\u0001${category}\u0001${tags}\u0001${p.cooked}`;
  const cached = stemCache.get(p);
  if (cached && cached.key === key) return cached.stems;
  const stems = new Set(words(`${t.title} ${category} ${tags} ${scrubCooked(p.cooked)}`).map(stem));
  stemCache.set(p, { key, stems });
  return stems;
}

function blurb(p: Post, terms: string[]): string {
  const text = scrubCooked(p.cooked);
  const lower = text.toLowerCase();
  const at = Math.max(0, Math.min(...terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0), text.length));
  // blurb_length 300 around the first matched term
  const start = at > 150 ? at - 150 : 0;
  const snippet = text.slice(start, start + 300);
  return `${start > 0 ? "..." : ""}${snippet}${start + 300 < text.length ? "..." : ""}`;
}

function search(ctx: SiteContext, req: RouteRequest): Reply {
  const term = req.query.get("q") ?? "";
  // SearchController#show: a q shorter than min_search_term_length, or a malformed page, is a 400
  if (term !== "" && [...term].length < ctx.settings.min_search_term_length) return invalidParameters("q");
  const pageParam = req.query.get("page");
  if (pageParam !== null && String(Number.parseInt(pageParam, 10)) !== pageParam) {
    return invalidParameters("Discourse::InvalidParameters");
  }
  const pageNumber = pageParam === null ? 1 : Number(pageParam);
  const page = pageNumber <= 10 ? Math.max(pageNumber, 1) : 1;
  const q = parseQuery(ctx, term);
  const size = ctx.settings.search_page_size;
  const empty = q.terms.length === 0 && !q.hasFilter;
  const hits: Array<{ topic: Topic; post: Post; score: number }> = [];
  if (!empty) {
    const termStems = q.terms.map(stem);
    for (const t of ctx.store.topics) {
      if (!listable(ctx.store, t, req.user)) continue;
      if (q.categoryIds && !q.categoryIds.includes(t.categoryId)) continue;
      const tagNames = ctx.store.tagNames(t);
      if (!q.anyTags.every((group) => group.some((g) => tagNames.includes(g)))) continue;
      if (q.status === "open" && (t.closed || t.archived)) continue;
      if (q.status === "closed" && !t.closed) continue;
      if (q.status === "archived" && !t.archived) continue;
      let best: { post: Post; score: number } | null = null;
      for (const p of t.posts) {
        if (p.postType !== 1 || p.deletedAt !== null || (q.firstOnly && p.postNumber !== 1)) continue;
        const stems = indexedStems(ctx, t, p);
        if (!termStems.every((s) => matches(s, stems))) continue;
        const titleStems = new Set(words(t.title).map(stem));
        const score = termStems.filter((s) => matches(s, titleStems)).length * 2 + termStems.length;
        // one hit per topic: the newest matching post for order:latest, the oldest for order:oldest,
        // else the best scoring one
        const better =
          !best ||
          (q.order === "latest"
            ? p.createdAt > best.post.createdAt
            : q.order === "oldest"
              ? p.createdAt < best.post.createdAt
              : score > best.score);
        if (better) best = { post: p, score };
      }
      if (best) hits.push({ topic: t, ...best });
    }
  }
  hits.sort((a, b) => {
    if (q.order === "latest") return b.post.createdAt - a.post.createdAt;
    if (q.order === "oldest") return a.post.createdAt - b.post.createdAt;
    return b.score - a.score || b.topic.bumpedAt - a.topic.bumpedAt;
  });
  const pageHits = hits.slice((page - 1) * size, page * size);
  const posts: Json[] = pageHits.map(({ topic, post }) => {
    const u = ctx.store.userById(post.userId);
    return {
      id: post.id,
      name: u?.name ?? null,
      username: u?.username ?? "system",
      avatar_template: u ? avatarTemplate(u) : "",
      created_at: iso(post.createdAt),
      like_count: 0,
      blurb: blurb(post, q.terms),
      post_number: post.postNumber,
      topic_title_headline: topic.fancyTitle,
      topic_id: topic.id,
    };
  });
  const topics = [...new Map(pageHits.map((h) => [h.topic.id, h.topic])).values()];
  return json(200, {
    posts,
    topics: topics.map((t) => topicListItem(ctx.store, t, req.user, false)),
    users: [],
    categories: [],
    tags: [],
    groups: [],
    grouped_search_result: {
      more_posts: null,
      more_users: null,
      more_categories: null,
      term,
      search_log_id: 0,
      more_full_page_results: hits.length > page * size ? true : null,
      can_create_topic: req.user !== null,
      error: null,
      post_ids: posts.map((p) => p["id"]),
      user_ids: [],
      category_ids: [],
      tag_ids: [],
      group_ids: [],
    },
  });
}

export const searchRoutes: Route[] = [route("GET", "/search", search)];
