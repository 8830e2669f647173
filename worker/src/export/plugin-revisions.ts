/**
 * The calendar plugin does not number an event's revisions, but subscribers only replace their copy
 * when SEQUENCE rises. This remembers a digest of each plugin event per site in Redis and raises
 * the event's sequence (and its change time, used as DTSTAMP/LAST-MODIFIED) when the digest changes.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { PluginEvent } from "./types.ts";

interface Seen {
  digest: string;
  sequence: number;
  changedAt: string;
}

export function pluginRevisionsKey(prefix: string, siteId: string): string {
  return `${prefix}:export:plugin-revisions:${siteId}`;
}

function digestOf(e: PluginEvent): string {
  const fields = [
    e.name,
    e.startsAt,
    e.endsAt,
    e.timezone,
    e.allDay,
    e.rrule,
    e.status,
    e.url,
    e.location,
    e.description,
  ];
  return createHash("sha256").update(JSON.stringify(fields)).digest("base64url").slice(0, 22);
}

export async function withPluginRevisions(
  redis: Redis,
  prefix: string,
  siteId: string,
  events: PluginEvent[],
  now: Date,
): Promise<PluginEvent[]> {
  if (events.length === 0) return events;
  const key = pluginRevisionsKey(prefix, siteId);
  const stored = await redis.hmget(key, ...events.map((e) => String(e.id)));
  const updates: Record<string, string> = {};
  const out = events.map((e, i) => {
    const digest = digestOf(e);
    let seen: Seen | undefined;
    try {
      seen = stored[i] ? (JSON.parse(stored[i]!) as Seen) : undefined;
    } catch {
      seen = undefined;
    }
    if (!seen || seen.digest !== digest) {
      seen = { digest, sequence: seen ? seen.sequence + 1 : 0, changedAt: now.toISOString() };
      updates[String(e.id)] = JSON.stringify(seen);
    }
    return { ...e, sequence: seen.sequence, changedAt: seen.changedAt };
  });
  if (Object.keys(updates).length > 0) await redis.hset(key, updates);
  return out;
}
