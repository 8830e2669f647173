/** POST /posts.json for a new topic: TopicCreator + PostCreator validations, limits and side effects. */
import type { SiteContext } from "./context.ts";
import { syncEvent } from "./calendar.ts";
import { eventFromRaw } from "./events.ts";
import type { Topic, User } from "./model.ts";
import { isStaff } from "./model.ts";
import { resolveTags } from "./tags.ts";
import { cleanTitle, normalizeRaw } from "./text.ts";
import { DUPLICATE_TITLE, TOO_SIMILAR, bodyErrors, externalIdErrors, titleErrors } from "./validate.ts";

const UNCATEGORIZED_ID = 1;

export interface NewTopic {
  title: string;
  raw: string;
  categoryId: number | null;
  tags: string[];
  externalId: string | null;
  createdAt: number | null;
  /** API skip_validations=true */
  skipValidations: boolean;
}

export type CreateResult =
  | { ok: true; topic: Topic }
  | { ok: false; kind: "invalid"; errors: string[] }
  | { ok: false; kind: "forbidden" }
  | { ok: false; kind: "rate_limited"; waitSeconds: number; message: string | null };

export function duplicateTitle(
  ctx: SiteContext,
  title: string,
  categoryId: number | null,
  selfId: number | null,
): boolean {
  if (ctx.settings.allow_duplicate_topic_titles) return false;
  const lower = title.toLowerCase();
  return ctx.store.topics.some(
    (t) =>
      t.id !== selfId &&
      t.deletedAt === null &&
      t.title.toLowerCase() === lower &&
      (!ctx.settings.allow_duplicate_topic_titles_category || t.categoryId === categoryId),
  );
}

function externalIdTaken(ctx: SiteContext, externalId: string): boolean {
  const lower = externalId.toLowerCase();
  // Rails' uniqueness check ignores the default scope, so soft-deleted topics still hold their id.
  return ctx.store.topics.some((t) => t.externalId !== null && t.externalId.toLowerCase() === lower);
}

export function canSeeCategory(ctx: SiteContext, u: User | null, categoryId: number): boolean {
  const c = ctx.store.category(categoryId);
  return c !== undefined && (!c.readRestricted || (u !== null && isStaff(u)));
}

function topicErrors(ctx: SiteContext, u: User, p: NewTopic, title: string): string[] {
  const s = ctx.settings;
  const errors = titleErrors(title, s, u.admin);
  if (title.trim() !== "" && duplicateTitle(ctx, title, p.categoryId, null)) errors.push(DUPLICATE_TITLE);
  if (!s.allow_uncategorized_topics) {
    if (p.categoryId === null) errors.push("Category can't be blank");
    // Topic validates exclusion of the uncategorized category (Rails' "is reserved")
    else if (p.categoryId === UNCATEGORIZED_ID) errors.push("Category is reserved");
  }
  errors.push(...externalIdErrors(p.externalId, p.externalId !== null && externalIdTaken(ctx, p.externalId)));
  return errors;
}

function tooSimilar(ctx: SiteContext, u: User, raw: string, now: number): boolean {
  if (isStaff(u) || ctx.settings.unique_posts_mins <= 0) return false;
  const windowMs = ctx.settings.unique_posts_mins * 60_000;
  return (ctx.recentBodies.get(u.id) ?? []).some((b) => b.raw === raw && now - b.at < windowMs);
}

/** RateLimiter::OnCreateRecord for topics: staff are exempt. */
function checkTopicLimits(ctx: SiteContext, u: User, now: number): CreateResult | null {
  if (isStaff(u)) return null;
  const s = ctx.settings;
  const secs = u.trustLevel === 0 ? s.rate_limit_new_user_create_topic : s.rate_limit_create_topic;
  const wait = ctx.userLimiter.perform(`create_topic:${u.id}`, 1, secs, now);
  if (wait > 0)
    return {
      ok: false,
      kind: "rate_limited",
      waitSeconds: wait,
      message: `You’re creating topics a bit too quickly. Please wait ${wait} seconds before trying again.`,
    };
  const dayWait = ctx.userLimiter.perform(`topics_per_day:${u.id}`, s.max_topics_per_day, 86_400, now);
  if (dayWait > 0) {
    ctx.userLimiter.rollback(`create_topic:${u.id}`);
    return { ok: false, kind: "rate_limited", waitSeconds: dayWait, message: null };
  }
  return null;
}

export function createTopic(ctx: SiteContext, u: User, p: NewTopic): CreateResult {
  const s = ctx.settings;
  const now = ctx.now();
  if (p.categoryId !== null && !canSeeCategory(ctx, u, p.categoryId)) return { ok: false, kind: "forbidden" };
  const title = cleanTitle(p.title, s.title_prettify, s.allow_uppercase_posts);
  const raw = normalizeRaw(p.raw);
  const event = ctx.calendarPlugin ? eventFromRaw(raw, u, s) : null;
  if (!p.skipValidations) {
    const tErrors = topicErrors(ctx, u, p, title);
    if (tErrors.length > 0) return { ok: false, kind: "invalid", errors: tErrors };
    // the plugin's validate_post handler runs before PostValidator; their errors add up
    const eventErrors = event && !event.ok ? event.errors : [];
    const pErrors = [...eventErrors, ...bodyErrors(raw, s, true)];
    if (raw.trim() !== "" && tooSimilar(ctx, u, raw, now)) pErrors.push(TOO_SIMILAR);
    if (pErrors.length > 0) return { ok: false, kind: "invalid", errors: pErrors };
  } else if (p.externalId !== null && externalIdTaken(ctx, p.externalId)) {
    return { ok: false, kind: "invalid", errors: ["External has already been taken"] };
  }
  if (!p.skipValidations) {
    const limited = checkTopicLimits(ctx, u, now);
    if (limited) return limited;
  }
  const at = p.createdAt ?? now;
  const topic = ctx.store.addTopic({
    title,
    raw,
    categoryId: p.categoryId ?? 1,
    userId: u.id,
    at,
    tagIds: resolveTags(ctx.store, p.tags, u, s),
    externalId: p.externalId,
  });
  const first = topic.posts[0];
  if (event?.ok && event.event && first) syncEvent(ctx, topic, first.id, event.event);
  const recent = (ctx.recentBodies.get(u.id) ?? []).filter((b) => now - b.at < s.unique_posts_mins * 60_000);
  recent.push({ raw, at: now });
  ctx.recentBodies.set(u.id, recent);
  return { ok: true, topic };
}
