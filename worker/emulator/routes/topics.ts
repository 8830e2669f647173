/** Topic routes: show (by id, slug/id, external_id), update, status, delete, recover, reset-bump-date. */
import type { Route, RouteRequest, SiteContext } from "../context.ts";
import { route } from "../context.ts";
import {
  invalidAccess,
  invalidParameters,
  notFound,
  notLoggedIn,
  parameterMissing,
  unprocessable,
} from "../errors.ts";
import { syncEvent } from "../calendar.ts";
import { eventFromRaw } from "../events.ts";
import type { Topic } from "../model.ts";
import { isStaff } from "../model.ts";
import { str, tagNamesParam } from "../params.ts";
import type { Reply } from "../reply.ts";
import { empty, json, redirect } from "../reply.ts";
import { basicTopic, streamPost, tagObjects, topicView, visiblePosts } from "../serialize.ts";
import { reviseTopicFields } from "../post-revisor.ts";
import { resolveTags } from "../tags.ts";
import { cleanTitle } from "../text.ts";
import { canSeeCategory, duplicateTitle } from "../topic-creator.ts";
import { DUPLICATE_TITLE, titleErrors, tooManyTags } from "../validate.ts";
import { webhookPost, webhookTopic } from "../webhook-payloads.ts";

const CARRIED_PARAMS = ["page", "print", "include_raw", "filter_top_level_replies", "preview_theme_id"];

function queryString(q: URLSearchParams): string {
  const s = q.toString();
  return s === "" ? "" : `?${s}`;
}

/** TopicView's checks: deleted topics only for staff (404 otherwise), restricted categories 403. */
function readableTopic(ctx: SiteContext, req: RouteRequest): Topic | Reply {
  const topic = ctx.store.topic(Number(req.pathParams["id"]));
  const staff = req.user !== null && isStaff(req.user);
  if (!topic || (topic.deletedAt !== null && !staff)) return notFound();
  if (!canSeeCategory(ctx, req.user, topic.categoryId)) return invalidAccess();
  return topic;
}

function showTopic(ctx: SiteContext, req: RouteRequest): Reply {
  const topic = readableTopic(ctx, req);
  if ("status" in topic) return topic;
  const slug = req.pathParams["slug"];
  if (slug !== undefined && slug !== topic.slug) {
    return redirect(
      `/t/${topic.slug}/${topic.id}${req.path.endsWith(".json") ? ".json" : ""}${queryString(req.query)}`,
    );
  }
  // params[:page].to_i; a negative page or one past the last chunk is a 404
  const page = Number.parseInt(req.query.get("page") ?? "0", 10) || 0;
  if (page < 0 || (page - 1) * 20 >= topic.posts.length) return notFound();
  // TopicsController uses !!params[:include_raw]: any value, even "false", turns raw on.
  return json(200, topicView(ctx.store, topic, req.user, req.query.has("include_raw"), page));
}

/** GET /t/:id/posts.json?post_ids[]=…: further posts of the stream (TopicViewPostsSerializer). */
function topicPosts(ctx: SiteContext, req: RouteRequest): Reply {
  const topic = readableTopic(ctx, req);
  if ("status" in topic) return topic;
  const raw = req.params["post_ids"];
  const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => Number(v));
  const visible = visiblePosts(topic, req.user);
  const posts = ids.length > 0 ? visible.filter((p) => ids.includes(p.id)) : visible.slice(0, 20);
  return json(200, {
    post_stream: {
      posts: posts.map((p) => streamPost(ctx.store, topic, p, req.user, req.query.has("include_raw"))),
    },
    id: topic.id,
  });
}

function showByExternalId(ctx: SiteContext, req: RouteRequest): Reply {
  const id = req.pathParams["external_id"] ?? "";
  const topic = ctx.store.topics.find((t) => t.externalId === id && t.deletedAt === null);
  if (!topic) return notFound();
  const carried = new URLSearchParams();
  for (const k of CARRIED_PARAMS) {
    const v = req.query.get(k);
    if (v !== null) carried.set(k, v);
  }
  return redirect(`/t/${topic.slug}/${topic.id}.json${queryString(carried)}`);
}

/** Guardian#ensure_*! on a missing topic raises InvalidAccess, hence 403 rather than 404. */
function editableTopic(ctx: SiteContext, req: RouteRequest, staffOnly: boolean): Topic | Reply {
  if (!req.user) return notLoggedIn();
  const topic = ctx.store.topic(Number(req.pathParams["id"]));
  if (!topic || topic.deletedAt !== null) return invalidAccess();
  const staff = isStaff(req.user);
  if (!staff && (staffOnly || topic.userId !== req.user.id)) return invalidAccess();
  return topic;
}

function updateTopic(ctx: SiteContext, req: RouteRequest): Reply {
  const topic = editableTopic(ctx, req, false);
  if ("status" in topic) return topic;
  const user = req.user!;
  const s = ctx.settings;
  const tagNames = tagNamesParam(req.params["tags"], (id) => ctx.store.tag(id)?.name);
  if (tagNames && tagNames.length > s.max_tags_per_topic)
    return unprocessable([tooManyTags(s.max_tags_per_topic)]);
  const titleParam = str(req.params["title"]);
  const categoryParam = str(req.params["category_id"]);
  let categoryId = topic.categoryId;
  if (categoryParam !== undefined && categoryParam !== "") {
    const c = /^\d+$/.test(categoryParam) ? ctx.store.category(Number(categoryParam)) : undefined;
    if (!c) return unprocessable(["Category not found!"]);
    if (!canSeeCategory(ctx, user, c.id)) return invalidAccess();
    categoryId = c.id;
  }
  let title = topic.title;
  if (titleParam !== undefined && titleParam !== topic.title) {
    title = cleanTitle(titleParam, s.title_prettify, s.allow_uppercase_posts);
    const errors = titleErrors(title, s, user.admin);
    if (title.trim() !== "" && duplicateTitle(ctx, title, categoryId, topic.id)) errors.push(DUPLICATE_TITLE);
    if (errors.length > 0) return unprocessable(errors);
  }
  const tagIds = tagNames ? resolveTags(ctx.store, tagNames, user, s) : topic.tagIds;
  const changed =
    title !== topic.title || categoryId !== topic.categoryId || tagIds.join(",") !== topic.tagIds.join(",");
  if (changed) {
    if (title !== topic.title) ctx.store.setTitle(topic, title);
    topic.categoryId = categoryId;
    topic.tagIds = tagIds;
    reviseTopicFields(ctx, user, topic);
    ctx.emit({ type: "topic", name: "topic_edited", payload: webhookTopic(ctx.store, topic) });
  }
  const body: Record<string, unknown> = { basic_topic: basicTopic(topic) };
  if (tagNames) body["tags"] = tagObjects(ctx.store, topic);
  return json(200, body);
}

const STATUSES = ["closed", "archived", "visible", "pinned", "pinned_globally"];

function updateStatus(ctx: SiteContext, req: RouteRequest): Reply {
  if (!req.user) return notLoggedIn();
  const status = str(req.params["status"]);
  if (status === undefined || status === "") return parameterMissing("status");
  // params.require(:enabled) rejects blank values (a JSON false is blank), and only the string
  // "true" enables: a JSON true counts as false, as in TopicsController#status.
  const enabledParam = req.params["enabled"];
  if (enabledParam === undefined || enabledParam === null || enabledParam === "" || enabledParam === false) {
    return parameterMissing("enabled");
  }
  if (!STATUSES.includes(status)) return invalidParameters("status");
  const topic = editableTopic(ctx, req, true);
  if ("status" in topic) return topic;
  const enabled = enabledParam === "true";
  const now = ctx.now();
  let effective = true;
  if (status === "closed") effective = topic.closed !== enabled;
  else if (status === "archived") effective = topic.archived !== enabled;
  else if (status === "visible") effective = topic.visible !== enabled;
  if (effective) {
    if (status === "closed") topic.closed = enabled;
    else if (status === "archived") topic.archived = enabled;
    else if (status === "visible") topic.visible = enabled;
    else topic.pinnedAt = enabled ? now : null;
    if (status === "closed" && !enabled) topic.bumpedAt = now;
    const code = `${status}.${enabled ? "enabled" : "disabled"}`;
    ctx.store.addPost(topic, { raw: "", userId: req.user!.id, at: now, postType: 3, actionCode: code });
    ctx.emit({
      type: "topic",
      name: `topic_${status}_status_updated`,
      payload: webhookTopic(ctx.store, topic),
    });
  }
  return json(200, { success: "OK", topic_status_update: null });
}

function destroyTopic(ctx: SiteContext, req: RouteRequest): Reply {
  if (!req.user) return notLoggedIn();
  const topic = ctx.store.topic(Number(req.pathParams["id"]));
  const allowed = topic && topic.deletedAt === null && (isStaff(req.user) || topic.userId === req.user.id);
  if (!topic || !allowed) {
    return unprocessable([
      "There was an error deleting that topic. Please contact the site's administrator.",
    ]);
  }
  const now = ctx.now();
  topic.deletedAt = now;
  const first = topic.posts[0];
  if (first) {
    first.deletedAt = now;
    syncEvent(ctx, topic, first.id, null);
  }
  ctx.emit({ type: "topic", name: "topic_destroyed", payload: webhookTopic(ctx.store, topic) });
  if (first)
    ctx.emit({ type: "post", name: "post_destroyed", payload: webhookPost(ctx.store, topic, first) });
  return empty(200);
}

function recoverTopic(ctx: SiteContext, req: RouteRequest): Reply {
  if (!req.user) return notLoggedIn();
  const topic = ctx.store.topic(Number(req.pathParams["id"]));
  if (!topic || !isStaff(req.user)) return invalidAccess();
  if (topic.deletedAt !== null) {
    topic.deletedAt = null;
    const first = topic.posts[0];
    const author = first && ctx.store.userById(first.userId);
    if (first) first.deletedAt = null;
    // the plugin rebuilds the event from the recovered post
    const event =
      ctx.calendarPlugin && first && author ? eventFromRaw(first.raw, author, ctx.settings) : null;
    if (first && event?.ok && event.event) syncEvent(ctx, topic, first.id, event.event);
    ctx.emit({ type: "topic", name: "topic_recovered", payload: webhookTopic(ctx.store, topic) });
  }
  return empty(200);
}

function resetBumpDate(ctx: SiteContext, req: RouteRequest): Reply {
  const topic = editableTopic(ctx, req, true);
  if ("status" in topic) return topic;
  const last = [...topic.posts].reverse().find((p) => p.postType === 1 && p.deletedAt === null);
  if (last) topic.bumpedAt = last.createdAt;
  return empty(200);
}

export const topicRoutes: Route[] = [
  route("GET", "/t/external_id/:external_id", showByExternalId),
  route("GET", "/t/:id/posts", topicPosts),
  route("PUT", "/t/:id/status", updateStatus),
  route("PUT", "/t/:slug/:id/status", updateStatus),
  route("PUT", "/t/:id/reset-bump-date", resetBumpDate),
  route("PUT", "/t/:id/recover", recoverTopic),
  route("GET", "/t/:id", showTopic),
  // "/t/123/4" is topic 123 at post 4, not a slug: numeric routes come first, as in routes.rb
  route("GET", "/t/:id/:post_number", showTopic),
  route("GET", "/t/:slug/:id", showTopic),
  route("GET", "/t/:slug/:id/:post_number", showTopic),
  route("PUT", "/t/:id", updateTopic),
  route("PUT", "/t/:slug/:id", updateTopic),
  route("DELETE", "/t/:id", destroyTopic),
];
