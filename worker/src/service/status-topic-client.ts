/**
 * The few Discourse calls the status topic needs, behind an interface so the sync engine's client can
 * replace this one. Api-Key and Api-Username go in headers; errors name the call, never the key.
 */
import { FetchError, ofetch } from "ofetch";
import type { SiteConfig } from "../core/feed.ts";

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

export class DiscourseCallError extends Error {
  readonly status: number | undefined;
  readonly errors: string[];
  constructor(call: string, siteId: string, status: number | undefined, errors: string[]) {
    super(
      `site ${siteId}: ${call} failed${status ? ` (HTTP ${status})` : ""}${errors.length ? `: ${errors.join("; ")}` : ""}`,
    );
    this.name = "DiscourseCallError";
    this.status = status;
    this.errors = errors;
  }
}

interface TopicJson {
  id: number;
  post_stream?: { posts?: { id: number; post_number: number; raw?: string }[] };
}

export function createStatusTopicClient(
  site: SiteConfig,
  acquire: () => Promise<void> = async () => {},
): StatusTopicClient {
  const api = ofetch.create({
    baseURL: site.baseUrl,
    headers: { "Api-Key": site.apiKey, "Api-Username": site.apiUsername, Accept: "application/json" },
    timeout: 30_000,
    retry: 0,
  });
  const call = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    await acquire();
    try {
      return await fn();
    } catch (err) {
      if (err instanceof FetchError) {
        const data = err.data as { errors?: unknown } | undefined;
        const errors = Array.isArray(data?.errors) ? data.errors.map(String) : [];
        throw new DiscourseCallError(name, site.id, err.statusCode, errors);
      }
      throw new DiscourseCallError(name, site.id, undefined, [(err as Error).message]);
    }
  };
  return {
    async findByExternalId(externalId) {
      try {
        const topic = await call("find status topic", () =>
          api<TopicJson>(`/t/external_id/${encodeURIComponent(externalId)}.json`, {
            query: { include_raw: 1 },
          }),
        );
        const first = topic.post_stream?.posts?.find((p) => p.post_number === 1);
        if (!first) return null;
        return { topicId: topic.id, postId: first.id, raw: first.raw ?? "" };
      } catch (err) {
        if (err instanceof DiscourseCallError && err.status === 404) return null;
        throw err;
      }
    },
    async createTopic(p) {
      const post = await call("create status topic", () =>
        api<{ id: number; topic_id: number }>("/posts.json", {
          method: "POST",
          body: { title: p.title, raw: p.raw, category: p.categoryId, external_id: p.externalId },
        }),
      );
      return { topicId: post.topic_id, postId: post.id };
    },
    async editPost(postId, raw) {
      await call("update status topic", () =>
        api(`/posts/${postId}.json`, {
          method: "PUT",
          body: { post: { raw, edit_reason: "import status" }, bypass_bump: true },
        }),
      );
    },
  };
}
