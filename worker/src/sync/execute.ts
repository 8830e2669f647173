/**
 * Carries out one planned action against Discourse and returns the record to keep. Every path is
 * safe to repeat after a crash: creates carry the deterministic external_id, edits compare the post's
 * current text first, status changes to the current value change nothing.
 */
import type { CalendarEvent } from "../core/event.ts";
import type { FeedConfig, SiteConfig, SyncCounts } from "../core/feed.ts";
import type { ImportedEventRecord } from "../core/imported-event.ts";
import type { DiscourseClient } from "../discourse/client.ts";
import { DiscourseError } from "../discourse/errors.ts";
import type { PlannedAction } from "./planner.ts";
import { composeRaw, humanTextLength, renderEventBlock } from "./render.ts";
import { disambiguateTitle } from "./title.ts";

export interface ExecuteContext {
  client: DiscourseClient;
  site: SiteConfig;
  feed: FeedConfig;
  now: () => Date;
}

export interface ActionResult {
  count: keyof SyncCounts;
  record?: ImportedEventRecord;
  /** Set when the action did not do what was planned (also counted as failed unless skipped). */
  note?: string;
}

const TITLE_ATTEMPTS = 3;

/** Discourse's own normalisation of raw (TextCleaner.normalize_whitespaces, rstrip, no NUL bytes). */
function normalize(raw: string): string {
  return raw
    .replaceAll("\u0000", "")
    .replace(/[\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g, " ")
    .replace(/\s+$/u, "");
}

function recordOf(
  a: PlannedAction,
  ctx: ExecuteContext,
  topicId: number,
  postId: number,
  state: ImportedEventRecord["state"],
  hash: string,
  event: CalendarEvent,
): ImportedEventRecord {
  const prev = a.record;
  return {
    feedId: ctx.feed.id,
    siteId: ctx.site.id,
    eventKey: a.eventKey,
    externalId: a.externalId,
    topicId,
    postId,
    categoryId: prev?.categoryId ?? ctx.feed.categoryId,
    renderHash: hash,
    revision: prev ? prev.revision + (prev.renderHash === hash ? 0 : 1) : 1,
    event,
    state,
    updatedAt: ctx.now().toISOString(),
  };
}

/** Writes the block into the post if its managed part differs; returns the hash written. */
async function writeBlock(
  ctx: ExecuteContext,
  a: PlannedAction,
  postId: number,
  currentRaw: string,
  quiet: boolean,
): Promise<string> {
  const event = a.event!;
  let block = a.rendered!.block;
  let hash = a.rendered!.hash;
  const reserved = humanTextLength(currentRaw);
  if (reserved > 0 && block.length + reserved > 32000) {
    ({ block, hash } = renderEventBlock(event, {
      externalId: a.externalId,
      siteTimezone: ctx.site.timezone,
      calendarPlugin: ctx.site.calendarPlugin,
      reservedLength: reserved,
    }));
  }
  const next = composeRaw(currentRaw, block);
  if (normalize(next) !== normalize(currentRaw)) await ctx.client.updatePost(postId, next, { quiet });
  return hash;
}

async function adoptTopic(
  ctx: ExecuteContext,
  a: PlannedAction,
  topicId: number,
  postId: number,
  raw: string,
): Promise<ImportedEventRecord> {
  const event = a.event!;
  const hash = await writeBlock(ctx, a, postId, raw, true);
  const cancelled = event.status === "cancelled";
  if (cancelled && ctx.feed.cancelled === "close") await ctx.client.setStatus(topicId, "closed", true);
  return recordOf(a, ctx, topicId, postId, cancelled ? "cancelled" : "active", hash, event);
}

type TopicView = NonNullable<Awaited<ReturnType<ExecuteContext["client"]["topicByExternalId"]>>>;

/** The topic already exists under our external_id (an earlier run was cut off): take it over. */
async function adoptByExternalId(ctx: ExecuteContext, a: PlannedAction): Promise<ActionResult> {
  return await adoptFound(ctx, a, await ctx.client.topicByExternalId(a.externalId));
}

async function adoptFound(
  ctx: ExecuteContext,
  a: PlannedAction,
  topic: TopicView | null,
): Promise<ActionResult> {
  const first = topic?.post_stream.posts.find((p) => p.post_number === 1);
  if (!topic || !first) {
    return {
      count: "failed",
      note: "Discourse keeps this event's external_id for a deleted topic; recover or permanently delete that topic",
    };
  }
  const raw = first.raw ?? (await ctx.client.post(first.id)).raw;
  return { count: "adopted", record: await adoptTopic(ctx, a, topic.id, first.id, raw) };
}

async function create(ctx: ExecuteContext, a: PlannedAction): Promise<ActionResult> {
  if (a.recover) {
    const topic = await ctx.client.topicByExternalId(a.externalId);
    if (topic) return await adoptFound(ctx, a, topic);
  }
  let title = a.title!;
  for (let attempt = 0; ; attempt++) {
    try {
      const { topicId, postId } = await ctx.client.createTopic({
        title,
        raw: a.rendered!.block,
        category: ctx.feed.categoryId,
        tags: a.tags ?? [],
        externalId: a.externalId,
      });
      return {
        count: "created",
        record: recordOf(a, ctx, topicId, postId, "active", a.rendered!.hash, a.event!),
      };
    } catch (err) {
      if (!(err instanceof DiscourseError)) throw err;
      if (err.externalIdTaken) return await adoptByExternalId(ctx, a);
      if (err.titleTaken && attempt < TITLE_ATTEMPTS) {
        title = disambiguateTitle(a.title!, attempt + 1, a.event!, ctx.site.timezone);
        continue;
      }
      throw err;
    }
  }
}

type Flag = "closed" | "archived" | "visible";
const REMOVAL_STATUS: Record<string, [Flag, boolean] | undefined> = {
  close: ["closed", true],
  archive: ["archived", true],
  unlist: ["visible", false],
};

async function undoRemoval(ctx: ExecuteContext, topicId: number): Promise<void> {
  const s = REMOVAL_STATUS[ctx.feed.removed];
  if (s) await ctx.client.setStatus(topicId, s[0], !s[1]);
}

async function update(ctx: ExecuteContext, a: PlannedAction): Promise<ActionResult> {
  const rec = a.record!;
  if (a.restore && rec.state === "removed" && ctx.feed.removed === "delete") {
    await ctx.client.recoverTopic(rec.topicId).catch(() => {});
  }
  let current: string;
  try {
    current = (await ctx.client.post(rec.postId)).raw;
  } catch (err) {
    if (err instanceof DiscourseError && (err.status === 404 || err.status === 403)) {
      return {
        count: "skipped",
        record: { ...rec, state: "removed", updatedAt: ctx.now().toISOString() },
        note: `topic ${rec.topicId} no longer exists on Discourse`,
      };
    }
    throw err;
  }
  const cancel = a.kind === "cancel";
  const hash = await writeBlock(ctx, a, rec.postId, current, cancel ? false : (a.quiet ?? false));
  if (cancel && ctx.feed.cancelled === "close") await ctx.client.setStatus(rec.topicId, "closed", true);
  if (a.restore) {
    if (rec.state === "removed") await undoRemoval(ctx, rec.topicId);
    if (rec.state === "cancelled" && ctx.feed.cancelled === "close")
      await ctx.client.setStatus(rec.topicId, "closed", false);
  }
  const state = a.event!.status === "cancelled" ? "cancelled" : "active";
  return {
    count: cancel ? "cancelled" : "updated",
    record: recordOf(a, ctx, rec.topicId, rec.postId, state, hash, a.event!),
  };
}

async function remove(ctx: ExecuteContext, a: PlannedAction): Promise<ActionResult> {
  const rec = a.record!;
  try {
    if (a.removal === "delete") await ctx.client.deleteTopic(rec.topicId);
    else {
      const s = REMOVAL_STATUS[a.removal ?? "keep"];
      if (s) await ctx.client.setStatus(rec.topicId, s[0], s[1]);
    }
  } catch (err) {
    // a topic someone already deleted is as removed as it gets
    if (!(err instanceof DiscourseError && [403, 404, 422].includes(err.status))) throw err;
  }
  return { count: "removed", record: { ...rec, state: "removed", updatedAt: ctx.now().toISOString() } };
}

/**
 * The first post's raw text as it is now, or undefined when the topic is gone (staff still see
 * deleted topics), left the feed's category, or the API user may no longer see it.
 */
async function currentRaw(ctx: ExecuteContext, topicId: number, postId: number): Promise<string | undefined> {
  try {
    const view = await ctx.client.topic(topicId);
    if (view.deleted_at || (view.category_id != null && view.category_id !== ctx.feed.categoryId))
      return undefined;
    const first = view.post_stream.posts.find((p) => p.post_number === 1);
    if (!first || first.id !== postId) return undefined;
    return first.raw ?? (await ctx.client.post(postId)).raw;
  } catch (err) {
    if (err instanceof DiscourseError && (err.status === 404 || err.status === 403)) return undefined;
    throw err;
  }
}

export async function executeAction(ctx: ExecuteContext, a: PlannedAction): Promise<ActionResult> {
  switch (a.kind) {
    case "create":
      return await create(ctx, a);
    case "adopt": {
      const c = a.candidate!;
      // a cached copy may predate a quiet edit by a person, which must not be overwritten
      const raw = c.cached ? await currentRaw(ctx, c.topicId, c.postId) : c.raw;
      // a remembered topic deleted, moved or hidden since: the event gets its own topic after all
      if (raw === undefined) return await create(ctx, a);
      return { count: "adopted", record: await adoptTopic(ctx, a, c.topicId, c.postId, raw) };
    }
    case "update":
    case "cancel":
      return await update(ctx, a);
    case "remove":
      return await remove(ctx, a);
    case "unchanged":
      return { count: "unchanged" };
    case "skip":
      return { count: "skipped" };
  }
}
