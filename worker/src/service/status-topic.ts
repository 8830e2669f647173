/**
 * Keeps one status topic per site in a staff-only category: created once (found again by its external_id
 * after a lost Redis), then edited quietly (bypass_bump) only when the document changed.
 */
import type { Redis } from "ioredis";
import type { StatusDocument } from "../core/status.ts";
import { statusTopicKey } from "./keys.ts";
import { statusFingerprint } from "./status-document.ts";
import { decodeStatus, renderStatusPost, statusExternalId, statusTopicTitle } from "./status-topic-render.ts";
import type { StatusTopicClient } from "./status-topic-client.ts";

export type PublishResult = "created" | "updated" | "unchanged";

interface Remembered {
  topicId: number;
  postId: number;
  fingerprint: string;
}

export interface StatusPublisher {
  publish(doc: StatusDocument): Promise<PublishResult>;
}

export function createStatusPublisher(o: {
  client: StatusTopicClient;
  redis: Redis;
  prefix: string;
  siteId: string;
  categoryId: number;
}): StatusPublisher {
  const key = statusTopicKey(o.prefix, o.siteId);
  const externalId = statusExternalId(o.siteId);
  const remember = (r: Remembered) => o.redis.set(key, JSON.stringify(r));
  return {
    async publish(doc) {
      const fingerprint = statusFingerprint(doc);
      const raw = renderStatusPost(doc);
      const known = await o.redis.get(key);
      let target: Remembered | null = known ? (JSON.parse(known) as Remembered) : null;
      if (target?.fingerprint === fingerprint) return "unchanged";
      if (!target) {
        const found = await o.client.findByExternalId(externalId);
        if (found) {
          target = {
            topicId: found.topicId,
            postId: found.postId,
            fingerprint: fingerprintOfPost(found.raw),
          };
          if (target.fingerprint === fingerprint) {
            await remember(target);
            return "unchanged";
          }
        }
      }
      if (!target) {
        try {
          const created = await o.client.createTopic({
            title: statusTopicTitle(o.siteId),
            raw,
            categoryId: o.categoryId,
            externalId,
          });
          await remember({ ...created, fingerprint });
          return "created";
        } catch (err) {
          // Another worker process created it a moment ago: edit that one instead.
          const found = await o.client.findByExternalId(externalId);
          if (!found) throw err;
          target = { topicId: found.topicId, postId: found.postId, fingerprint: "" };
        }
      }
      await o.client.editPost(target.postId, raw);
      await remember({ topicId: target.topicId, postId: target.postId, fingerprint });
      return "updated";
    },
  };
}

function fingerprintOfPost(raw: string): string {
  const m = /data-ics-status="([A-Za-z0-9_-]+)"/.exec(raw);
  if (!m) return "";
  try {
    return statusFingerprint(decodeStatus(m[1]!));
  } catch {
    return "";
  }
}
