/**
 * Redis key names of the service. Everything starts with the configured prefix; with Redis Cluster the
 * prefix is a hash tag such as "{dics}" so BullMQ's multi-key scripts and ours stay in one slot.
 */
export const SYNC_QUEUE = "sync";

export function bullPrefix(prefix: string): string {
  return `${prefix}:bull`;
}

export function runsKey(prefix: string, feedId: string): string {
  return `${prefix}:runs:${feedId}`;
}

export function apiFeedsKey(prefix: string): string {
  return `${prefix}:api-feeds`;
}

export function statusTopicKey(prefix: string, siteId: string): string {
  return `${prefix}:status-topic:${siteId}`;
}

export function schedulerId(feedId: string): string {
  return `feed:${feedId}`;
}

export function feedIdOfScheduler(id: string): string | undefined {
  return id.startsWith("feed:") ? id.slice("feed:".length) : undefined;
}
