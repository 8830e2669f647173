/** POST /posts.json, GET/PUT /posts/:id.json, GET /raw/:topic_id/:post_number. */
import { createHash } from "node:crypto";
import type { Route, RouteRequest, SiteContext } from "../context.ts";
import { route } from "../context.ts";
import {
  invalidAccess,
  invalidParameters,
  notFound,
  notLoggedIn,
  parameterMissing,
  rateLimited,
  unprocessable,
} from "../errors.ts";
import type { Post, Topic, User } from "../model.ts";
import { isStaff } from "../model.ts";
import { str, tagNamesParam, truthy } from "../params.ts";
import type { Reply } from "../reply.ts";
import { json, text } from "../reply.ts";
import { standalonePost } from "../serialize.ts";
import { createTopic, canSeeCategory } from "../topic-creator.ts";
import { tooManyTags } from "../validate.ts";
import { editPost } from "../post-revisor.ts";
import { createReply } from "../reply-creator.ts";
import { webhookPost, webhookTopic } from "../webhook-payloads.ts";

const MEMO_MS = 120_000;

/** A post is readable when its topic is (deleted topics only for staff, restricted categories only for staff). */
export function readablePost(
  ctx: SiteContext,
  user: User | null,
  id: number,
): { topic: Topic; post: Post } | Reply {
  const found = ctx.store.post(id);
  const staff = user !== null && isStaff(user);
  if (!found || ((found.topic.deletedAt !== null || found.post.deletedAt !== null) && !staff))
    return notFound();
  if (!canSeeCategory(ctx, user, found.topic.categoryId)) return invalidAccess();
  return found;
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** PostsController#signature_for: every create param plus the acting user. */
function signature(req: RouteRequest, user: User): string {
  return createHash("sha1")
    .update(`${user.id}:${stable(req.params)}`)
    .digest("hex");
}

/** Stores a memoised answer, dropping expired ones now and then so long benchmarks stay small. */
function remember(ctx: SiteContext, key: string, reply: Reply, now: number): void {
  if (ctx.createMemo.size >= 1000) {
    for (const [k, v] of ctx.createMemo) if (v.expires <= now) ctx.createMemo.delete(k);
  }
  ctx.createMemo.set(key, { reply, expires: now + MEMO_MS });
}

function parseCategory(v: unknown): number | null | "invalid" {
  if (v === undefined || v === null || v === "") return null;
  const s = str(v);
  if (s === undefined || !/^\d+$/.test(s.trim())) return "invalid";
  return Number(s.trim());
}

function createPost(ctx: SiteContext, req: RouteRequest): Reply {
  const user = req.user;
  if (!user) return notLoggedIn();
  const tags = tagNamesParam(req.params["tags"], (id) => ctx.store.tag(id)?.name);
  const rawTagCount = Array.isArray(req.params["tags"])
    ? (req.params["tags"] as unknown[]).length
    : (tags?.length ?? 0);
  if (rawTagCount > ctx.settings.max_tags_per_topic)
    return unprocessable([tooManyTags(ctx.settings.max_tags_per_topic)]);
  const raw = str(req.params["raw"]);
  if (raw === undefined || raw === "") return parameterMissing("raw");
  const topicId = str(req.params["topic_id"]);
  const category = topicId === undefined ? parseCategory(req.params["category"]) : null;
  if (category === "invalid" || (category !== null && !ctx.store.category(category)))
    return invalidParameters("category");

  const now = ctx.now();
  const key = req.isApi ? signature(req, user) : null;
  if (key) {
    const hit = ctx.createMemo.get(key);
    if (hit && hit.expires > now) return hit.reply;
  }
  if (topicId !== undefined) {
    const reply = replyTo(ctx, user, topicId, raw);
    if (key && reply.status !== 429) remember(ctx, key, reply, now);
    return reply;
  }
  const createdAtParam = req.isApi ? str(req.params["created_at"]) : undefined;
  const createdAt = createdAtParam ? Date.parse(createdAtParam) : NaN;
  const externalId = req.isApi ? (str(req.params["external_id"]) ?? null) : null;
  const result = createTopic(ctx, user, {
    title: str(req.params["title"]) ?? "",
    raw,
    categoryId: category,
    tags: tags ?? [],
    externalId: externalId === "" ? null : externalId,
    createdAt: Number.isNaN(createdAt) ? null : createdAt,
    skipValidations: req.isApi && truthy(req.params["skip_validations"]),
  });
  let reply: Reply;
  if (result.ok) {
    const first = result.topic.posts[0] as Post;
    reply = json(200, standalonePost(ctx.store, result.topic, first, user));
    ctx.emit({ type: "topic", name: "topic_created", payload: webhookTopic(ctx.store, result.topic) });
    ctx.emit({ type: "post", name: "post_created", payload: webhookPost(ctx.store, result.topic, first) });
  } else if (result.kind === "invalid") {
    reply = json(422, { action: "create_post", errors: result.errors });
  } else if (result.kind === "forbidden") {
    reply = invalidAccess();
  } else {
    // limiter exceptions escape the memoised block, so they are not replayed
    return rateLimited(result.waitSeconds, null, result.message ?? undefined);
  }
  if (key) remember(ctx, key, reply, now);
  return reply;
}

function replyTo(ctx: SiteContext, user: User, topicId: string, raw: string): Reply {
  const result = createReply(ctx, user, Number(topicId), raw);
  if (result.ok) {
    ctx.emit({
      type: "post",
      name: "post_created",
      payload: webhookPost(ctx.store, result.topic, result.post),
    });
    return json(200, standalonePost(ctx.store, result.topic, result.post, user));
  }
  if (result.kind === "rate_limited") {
    // the create_post per-type wording is assumed by analogy with create_topic's
    return rateLimited(
      result.waitSeconds,
      null,
      `You’re posting a bit too quickly. Please wait ${result.waitSeconds} seconds before trying again.`,
    );
  }
  return json(422, { action: "create_post", errors: result.errors });
}

function showPost(ctx: SiteContext, req: RouteRequest): Reply {
  const found = readablePost(ctx, req.user, Number(req.pathParams["id"]));
  if ("status" in found) return found;
  return json(200, standalonePost(ctx.store, found.topic, found.post, req.user));
}

function updatePost(ctx: SiteContext, req: RouteRequest): Reply {
  const user = req.user;
  if (!user) return notLoggedIn();
  const found = readablePost(ctx, user, Number(req.pathParams["id"]));
  if ("status" in found) return found;
  const p = req.params["post"];
  if (typeof p !== "object" || p === null) return parameterMissing("post");
  const post = p as Record<string, unknown>;
  const raw = str(post["raw"]);
  if (raw === undefined) return parameterMissing("raw");
  // Guardian#can_edit_post?: your own post, and not in an archived topic, unless you are staff
  if (!isStaff(user) && (found.post.userId !== user.id || found.topic.archived)) return invalidAccess();
  const result = editPost(ctx, user, found.topic, found.post, {
    raw,
    editReason: str(post["edit_reason"]) ?? null,
    bypassBump: truthy(req.params["bypass_bump"]) || truthy(post["bypass_bump"]),
  });
  if (!result.ok) return unprocessable(result.errors);
  return json(200, { post: standalonePost(ctx.store, found.topic, found.post, user) });
}

function rawPost(ctx: SiteContext, req: RouteRequest): Reply {
  const topic = ctx.store.topic(Number(req.pathParams["topic_id"]));
  const post = topic?.posts.find((p) => p.postNumber === Number(req.pathParams["post_number"] ?? 1));
  if (!topic || !post) return notFound();
  const found = readablePost(ctx, req.user, post.id);
  if ("status" in found) return found;
  return text(200, post.raw);
}

export const postRoutes: Route[] = [
  route("POST", "/posts", createPost),
  route("GET", "/posts/:id", showPost),
  route("PUT", "/posts/:id", updatePost),
  route("GET", "/raw/:topic_id/:post_number", rawPost, { json: false }),
  route("GET", "/raw/:topic_id", rawPost, { json: false }),
];
