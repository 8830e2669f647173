/** Topic lists: /latest, /c/:id, /c/:slug/:id, /tag/:tag (0-based pages of 30, more_topics_url on full pages). */
import type { Route, RouteRequest, SiteContext } from "../context.ts";
import { route } from "../context.ts";
import { notFound } from "../errors.ts";
import type { Topic, User } from "../model.ts";
import { isStaff } from "../model.ts";
import type { Reply } from "../reply.ts";
import { json, redirect } from "../reply.ts";
import { basicUser, categoryPath, topicListItem } from "../serialize.ts";
import type { Json } from "../serialize.ts";
import { listable } from "../visibility.ts";

const PER_PAGE = 30;

function pageOf(req: RouteRequest): number {
  const n = Number(req.query.get("page") ?? 0);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** Bump order; in a category list the topics pinned in that very category come first. */
function sortTopics(topics: Topic[], req: RouteRequest, pinnedIn: number | null): Topic[] {
  const order = req.query.get("order");
  const key = (t: Topic): number => (order === "created" ? t.createdAt : t.bumpedAt);
  const asc = req.query.get("ascending") === "true";
  return [...topics].sort((a, b) => {
    const pa = pinnedIn !== null && a.pinnedAt !== null && a.categoryId === pinnedIn;
    const pb = pinnedIn !== null && b.pinnedAt !== null && b.categoryId === pinnedIn;
    if (pa !== pb) return pa ? -1 : 1;
    const d = asc ? key(a) - key(b) : key(b) - key(a);
    return d !== 0 ? d : b.id - a.id;
  });
}

function renderList(
  ctx: SiteContext,
  req: RouteRequest,
  topics: Topic[],
  basePath: string,
  extra: Json = {},
  pinnedExcerpts = false,
): Reply {
  const perPageParam = Number(req.query.get("per_page"));
  const perPage = Number.isInteger(perPageParam) && perPageParam > 0 ? Math.min(perPageParam, 100) : PER_PAGE;
  const page = pageOf(req);
  const slice = topics.slice(page * perPage, (page + 1) * perPage);
  const viewer: User | null = req.user;
  const userIds = [...new Set(slice.flatMap((t) => [t.userId, ...t.posts.map((p) => p.userId)]))];
  const topicList: Json = {
    can_create_topic: viewer !== null,
    per_page: perPage,
    ...extra,
    topics: slice.map((t) => topicListItem(ctx.store, t, viewer, pinnedExcerpts && t.pinnedAt !== null)),
  };
  if (slice.length === perPage) {
    const next = new URLSearchParams();
    for (const k of ["order", "ascending", "per_page"]) {
      const v = req.query.get(k);
      if (v !== null) next.set(k, v);
    }
    next.set("page", String(page + 1));
    topicList["more_topics_url"] = `${basePath}?${next.toString()}`;
  }
  return json(200, {
    users: userIds.flatMap((id) => {
      const u = ctx.store.userById(id);
      return u ? [basicUser(u)] : [];
    }),
    primary_groups: [],
    topic_list: topicList,
  });
}

function latest(ctx: SiteContext, req: RouteRequest): Reply {
  const topics = ctx.store.topics.filter((t) => listable(ctx.store, t, req.user));
  return renderList(ctx, req, sortTopics(topics, req, null), "/latest");
}

function category(ctx: SiteContext, req: RouteRequest): Reply {
  const c = ctx.store.category(Number(req.pathParams["id"]));
  const staff = req.user !== null && isStaff(req.user);
  if (!c || (c.readRestricted && !staff)) return notFound();
  const path = categoryPath(ctx.store, c);
  const given = [req.pathParams["parent"], req.pathParams["slug"], c.id]
    .filter((x) => x !== undefined)
    .join("/");
  if (`/c/${given}` !== path) {
    const q = req.query.toString();
    return redirect(`${path}${req.path.endsWith(".json") ? ".json" : ""}${q ? `?${q}` : ""}`);
  }
  const ids = ctx.store.withSubcategories(c.id);
  const topics = ctx.store.topics.filter(
    (t) => ids.includes(t.categoryId) && listable(ctx.store, t, req.user),
  );
  return renderList(ctx, req, sortTopics(topics, req, c.id), path, {}, true);
}

function tag(ctx: SiteContext, req: RouteRequest): Reply {
  const t = ctx.store.tagByName(req.pathParams["tag"] ?? "");
  if (!t) return notFound();
  const topics = ctx.store.topics.filter((x) => x.tagIds.includes(t.id) && listable(ctx.store, x, req.user));
  const count = topics.length;
  return renderList(ctx, req, sortTopics(topics, req, null), `/tag/${t.name}`, {
    tags: [{ id: t.id, name: t.name, topic_count: count, staff: false }],
  });
}

export const listRoutes: Route[] = [
  route("GET", "/latest", latest),
  route("GET", "/c/:id", category),
  route("GET", "/c/:slug/:id", category),
  route("GET", "/c/:parent/:slug/:id", category),
  route("GET", "/tag/:tag", tag),
];
