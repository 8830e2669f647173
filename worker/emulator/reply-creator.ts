/** POST /posts.json with topic_id: a reply (PostCreator for an existing topic). */
import type { SiteContext } from "./context.ts";
import type { Post, Topic, User } from "./model.ts";
import { isStaff } from "./model.ts";
import { normalizeRaw } from "./text.ts";
import { canSeeCategory } from "./topic-creator.ts";
import { TOO_SIMILAR, bodyErrors } from "./validate.ts";

export const TOPIC_NOT_FOUND =
  "Something has gone wrong. Perhaps this topic was closed or deleted while you were looking at it?";

export type ReplyResult =
  | { ok: true; topic: Topic; post: Post }
  | { ok: false; kind: "invalid"; errors: string[] }
  | { ok: false; kind: "rate_limited"; waitSeconds: number };

export function createReply(ctx: SiteContext, u: User, topicId: number, rawParam: string): ReplyResult {
  const s = ctx.settings;
  const now = ctx.now();
  const topic = ctx.store.topic(topicId);
  // guardian.can_create?(Post, topic): a live, visible-to-you topic that is open (staff may post in closed ones)
  const allowed =
    topic !== undefined &&
    topic.deletedAt === null &&
    canSeeCategory(ctx, u, topic.categoryId) &&
    (isStaff(u) || (!topic.closed && !topic.archived));
  if (!topic || !allowed) return { ok: false, kind: "invalid", errors: [TOPIC_NOT_FOUND] };
  const raw = normalizeRaw(rawParam);
  const errors = bodyErrors(raw, s, false);
  const recent = ctx.recentBodies.get(u.id) ?? [];
  if (
    !isStaff(u) &&
    raw.trim() !== "" &&
    recent.some((b) => b.raw === raw && now - b.at < s.unique_posts_mins * 60_000)
  )
    errors.push(TOO_SIMILAR);
  if (errors.length > 0) return { ok: false, kind: "invalid", errors };
  if (!isStaff(u)) {
    const secs = u.trustLevel === 0 ? 30 : 5; // rate_limit_new_user_create_post / rate_limit_create_post
    const wait = ctx.userLimiter.perform(`create_post:${u.id}`, 1, secs, now);
    if (wait > 0) return { ok: false, kind: "rate_limited", waitSeconds: wait };
  }
  const post = ctx.store.addPost(topic, { raw, userId: u.id, at: now, postType: 1, actionCode: null });
  topic.bumpedAt = now;
  topic.lastPostedAt = now;
  recent.push({ raw, at: now });
  ctx.recentBodies.set(u.id, recent);
  return { ok: true, topic, post };
}
