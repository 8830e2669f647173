/** PostRevisor: edits, versions, the grace period, bumping and the calendar event of a first post. */
import type { SiteContext } from "./context.ts";
import { eventFromRaw } from "./events.ts";
import type { Post, Topic, User } from "./model.ts";
import { isStaff } from "./model.ts";
import { normalizeRaw } from "./text.ts";
import { bodyErrors } from "./validate.ts";
import { webhookPost } from "./webhook-payloads.ts";

/** Characters changed between two texts (outside their common prefix and suffix). */
export function changedChars(a: string, b: string): number {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end])
    end++;
  return Math.max(a.length - start - end, b.length - start - end);
}

export interface Edit {
  raw: string;
  editReason: string | null;
  bypassBump: boolean;
}

/**
 * A same-user edit within editing_grace_period (300 s) of the last version, with a small diff
 * (100 chars, 400 from TL2) and no new edit reason, is folded into the current version.
 */
function createsNewVersion(ctx: SiteContext, u: User, post: Post, edit: Edit, now: number): boolean {
  if (post.userId !== u.id) return true;
  if (edit.editReason !== null && edit.editReason !== "" && edit.editReason !== post.editReason) return true;
  const inGrace = now - post.lastVersionAt <= ctx.settings.editing_grace_period * 1000;
  const maxDiff = u.trustLevel >= 2 ? 400 : 100;
  return !(inGrace && changedChars(post.raw, normalizeRaw(edit.raw)) <= maxDiff);
}

export function editPost(
  ctx: SiteContext,
  u: User,
  topic: Topic,
  post: Post,
  edit: Edit,
): { ok: true; changed: boolean } | { ok: false; errors: string[] } {
  const raw = normalizeRaw(edit.raw);
  if (raw === post.raw && edit.editReason === null) return { ok: true, changed: false };
  const event = ctx.calendarPlugin ? eventFromRaw(raw, u, ctx.settings, post.postNumber === 1) : null;
  const errors = [
    ...(event && !event.ok ? event.errors : []),
    ...bodyErrors(raw, ctx.settings, post.postNumber === 1),
  ];
  if (errors.length > 0) return { ok: false, errors };
  if (raw === post.raw) return { ok: true, changed: false };
  const now = ctx.now();
  if (createsNewVersion(ctx, u, post, edit, now)) {
    post.version += 1;
    post.lastVersionAt = now;
  }
  post.raw = raw;
  post.cooked = ctx.cook(raw);
  post.updatedAt = now;
  if (edit.editReason !== null) post.editReason = edit.editReason;
  const lastRegular = [...topic.posts].reverse().find((p) => p.postType === 1 && p.deletedAt === null);
  const bypass = edit.bypassBump && isStaff(u);
  if (lastRegular === post && !bypass) topic.bumpedAt = now;
  if (event?.ok) {
    if (event.event) ctx.store.events.set(post.id, { ...event.event, id: post.id, topicId: topic.id });
    else ctx.store.events.delete(post.id);
  }
  ctx.emit({ type: "post", name: "post_edited", payload: webhookPost(ctx.store, topic, post) });
  return { ok: true, changed: true };
}
