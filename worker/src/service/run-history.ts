/**
 * A bounded history of runs per feed (a Redis list, newest first, last 50), read by the API, the status
 * document and the health endpoint.
 */
import type { Redis } from "ioredis";
import type { SyncCounts, SyncFailure, SyncOutcome } from "../core/feed.ts";
import { runsKey } from "./keys.ts";

export const HISTORY_LENGTH = 50;
const MAX_FAILURES_KEPT = 100;

export type RunOutcome = SyncOutcome | "skipped" | "interrupted";

export interface RunRecord {
  feedId: string;
  jobId?: string;
  trigger: "schedule" | "manual";
  attempt: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  outcome: RunOutcome;
  /** Why a run was skipped, interrupted or failed as a whole. */
  reason?: string;
  counts: SyncCounts;
  failures: SyncFailure[];
  feedProblems: number;
}

export interface RunHistory {
  record(run: RunRecord): Promise<void>;
  list(feedId: string, limit?: number): Promise<RunRecord[]>;
  /** The newest run that actually synced (skipped runs do not count). */
  lastCompleted(feedId: string): Promise<RunRecord | null>;
  clear(feedId: string): Promise<void>;
}

export function createRunHistory(redis: Redis, prefix: string): RunHistory {
  return {
    async record(run) {
      const stored = { ...run, failures: run.failures.slice(0, MAX_FAILURES_KEPT) };
      await redis
        .multi()
        .lpush(runsKey(prefix, run.feedId), JSON.stringify(stored))
        .ltrim(runsKey(prefix, run.feedId), 0, HISTORY_LENGTH - 1)
        .exec();
    },
    async list(feedId, limit = HISTORY_LENGTH) {
      const raw = await redis.lrange(runsKey(prefix, feedId), 0, Math.min(limit, HISTORY_LENGTH) - 1);
      return raw.map((r) => JSON.parse(r) as RunRecord);
    },
    async lastCompleted(feedId) {
      const runs = await this.list(feedId);
      return runs.find((r) => r.outcome !== "skipped") ?? null;
    },
    async clear(feedId) {
      await redis.del(runsKey(prefix, feedId));
    },
  };
}
