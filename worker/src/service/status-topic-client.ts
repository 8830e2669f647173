/**
 * The few Discourse calls the status topic needs, as an interface over the sync engine's Discourse client
 * (shared rate limiter, 429 and 5xx handling, validated answers, no key in errors).
 */
import type { DiscourseClient } from "../discourse/client.ts";

export interface StatusTopicRef {
  topicId: number;
  postId: number;
  raw: string;
}

export interface StatusTopicClient {
  findByExternalId(externalId: string): Promise<StatusTopicRef | null>;
  createTopic(p: {
    title: string;
    raw: string;
    categoryId: number;
    externalId: string;
  }): Promise<{ topicId: number; postId: number }>;
  editPost(postId: number, raw: string): Promise<void>;
}

export function statusTopicClient(client: DiscourseClient): StatusTopicClient {
  return {
    async findByExternalId(externalId) {
      const topic = await client.topicByExternalId(externalId);
      const first = topic?.post_stream.posts.find((p) => p.post_number === 1);
      if (!topic || !first) return null;
      return { topicId: topic.id, postId: first.id, raw: first.raw ?? "" };
    },
    async createTopic(p) {
      return await client.createTopic({
        title: p.title,
        raw: p.raw,
        category: p.categoryId,
        tags: [],
        externalId: p.externalId,
      });
    },
    async editPost(postId, raw) {
      await client.updatePost(postId, raw, { quiet: true, reason: "import status" });
    },
  };
}
