/** Gathers what the status document needs from Redis (feeds, last runs, next scheduled times). */
import type { StatusDocument } from "../core/status.ts";
import type { FeedRegistry } from "./feed-registry.ts";
import { feedIdOfScheduler } from "./keys.ts";
import type { RunHistory, RunRecord } from "./run-history.ts";
import { buildStatusDocument } from "./status-document.ts";
import type { SyncQueue } from "./sync-queue.ts";

export async function currentStatus(
  feeds: FeedRegistry,
  history: RunHistory,
  queue: SyncQueue,
  now = new Date(),
): Promise<StatusDocument> {
  const list = (await feeds.list()).map((e) => e.feed);
  const lastRuns = new Map<string, RunRecord | null>();
  await Promise.all(list.map(async (f) => lastRuns.set(f.id, await history.lastCompleted(f.id))));
  const nextRuns = new Map<string, number | null>();
  for (const s of await queue.getJobSchedulers(0, -1)) {
    const feedId = feedIdOfScheduler(s.key);
    if (feedId) nextRuns.set(feedId, s.next ?? null);
  }
  return buildStatusDocument({ feeds: list, lastRuns, nextRuns, now });
}
