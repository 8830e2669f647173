/** PostRevisor: edits, versions, the grace period, bumping and the calendar event of a first post. */
import type { SiteContext } from "./context.ts";
import { syncEvent } from "./calendar.ts";
import { eventFromRaw } from "./events.ts";
import type { Post, Topic, User } from "./model.ts";
import { isStaff } from "./model.ts";
import { normalizeRaw } from "./text.ts";
import { bodyErrors } from "./validate.ts";
import { webhookPost } from "./webhook-payloads.ts";

/** Characters inserted plus deleted between two texts (outside their common prefix and suffix). */
export function diffSize(a: string, b: string): number {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end])
    end++;
  return a.length - start - end + (b.length - start - end);
}

export interface Edit {
  raw: string;
  editReason: string | null;
  bypassBump: boolean;
}

/**
 * PostRevisor#ninja_edit?: within editing_grace_period (300 s) of the current version and a small
 * change against the raw that version started with (100 characters; 400 for staff and TL2+).
 */
function ninjaEdit(ctx: SiteContext, editor: User, post: Post, raw: string, now: number): boolean {
  if (now - post.lastVersionAt > ctx.settings.editing_grace_period * 1000) return false;
  const maxDiff = isStaff(editor) || editor.trustLevel > 1 ? 400 : 100;
  const original = post.lastVersionRaw;
  return Math.abs(original.length - raw.length) <= maxDiff && diffSize(original, raw) <= maxDiff;
}

/**
 * PostRevisor#should_create_new_version?: another editor than the last one, or outside the grace
 * window. An edit reason that differs from the current one is also taken to force a version
 * (newer builds; assumed).
 */
function createsNewVersion(
  ctx: SiteContext,
  editor: User,
  post: Post,
  edit: Edit,
  raw: string,
  now: number,
): boolean {
  if (post.lastEditorId !== editor.id) return true;
  if (edit.editReason !== null && edit.editReason !== "" && edit.editReason !== post.editReason) return true;
  return !ninjaEdit(ctx, editor, post, raw, now);
}

/** Version bookkeeping and bump_topic, shared by post edits and topic-field edits. */
function recordRevision(
  topic: Topic,
  post: Post,
  u: User,
  newVersion: boolean,
  bypassBump: boolean,
  now: number,
): void {
  if (newVersion) {
    post.version += 1;
    post.lastVersionAt = now;
    post.lastVersionRaw = post.raw;
  }
  post.updatedAt = now;
  post.lastEditorId = u.id;
  // bump_topic runs only with a new version, for the last post of the topic, unless bypassed
  const isLast = !topic.posts.some((p) => p.postNumber > post.postNumber && p.deletedAt === null);
  if (newVersion && isLast && !bypassBump) topic.bumpedAt = now;
}

/** topics#update revises the first post with the changed topic fields (no raw, so no diff limit). */
export function reviseTopicFields(ctx: SiteContext, u: User, topic: Topic): void {
  const first = topic.posts[0];
  if (!first) return;
  const now = ctx.now();
  const edit: Edit = { raw: first.raw, editReason: null, bypassBump: false };
  recordRevision(topic, first, u, createsNewVersion(ctx, u, first, edit, first.raw, now), false, now);
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
  const newVersion = createsNewVersion(ctx, u, post, edit, raw, now);
  post.raw = raw;
  post.cooked = ctx.cook(raw);
  if (edit.editReason !== null) post.editReason = edit.editReason;
  recordRevision(topic, post, u, newVersion, edit.bypassBump && isStaff(u), now);
  if (event?.ok) {
    syncEvent(ctx, topic, post.id, event.event);
  }
  ctx.emit({ type: "post", name: "post_edited", payload: webhookPost(ctx.store, topic, post) });
  return { ok: true, changed: true };
}
