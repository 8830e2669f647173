/**
 * A small Discourse API client on ofetch. Every request waits for the site's shared rate limiter;
 * 429 pauses that limiter for Retry-After (JSON or text body) and retries; 5xx, timeouts and dropped
 * connections are retried with backoff; other errors become DiscourseError with Discourse's message.
 */
import { ofetch } from "ofetch";
import type { z } from "zod";
import type { SiteConfig } from "../core/feed.ts";
import type { Logger } from "../core/logger.ts";
import { noAnswerReason } from "../core/network-reason.ts";
import { DiscourseError } from "./errors.ts";
import { sleep, type SiteRateLimiter } from "./rate-limiter.ts";
import { createdPost, errorBody, post, topicList, topicView, updatedPost } from "./schemas.ts";

export interface ClientOptions {
  limiter?: SiteRateLimiter;
  logger?: Logger;
  timeoutMs?: number;
  /** Attempts for 5xx/timeouts/network errors (default 5). */
  maxAttempts?: number;
  /** Consecutive 429 answers tolerated for one request (default 10). */
  max429?: number;
  /** Base backoff in ms (default 500; doubles each attempt, with jitter). */
  backoffMs?: number;
  userAgent?: string;
  /** Stops waiting for the rate limiter (a running request is not cut off). */
  signal?: AbortSignal;
}

export interface RequestOptions {
  query?: Record<string, string | number>;
  body?: Record<string, unknown>;
}

const MAX_REDIRECTS = 5;

type StatusName = "closed" | "archived" | "visible";

/** Retry-After from headers, the JSON body (extras.wait_seconds) or the text body ("in N seconds"). */
export function retryAfterMs(headers: Headers, body: unknown): number {
  const header = Number(headers.get("retry-after"));
  if (Number.isFinite(header) && header > 0) return header * 1000;
  const parsed = errorBody.safeParse(body);
  const wait = parsed.success ? parsed.data.extras?.wait_seconds : undefined;
  if (wait && wait > 0) return wait * 1000;
  const text = typeof body === "string" ? /(\d+)\s*seconds?/.exec(body) : null;
  return text ? Number(text[1]) * 1000 : 10_000;
}

function routeOf(method: string, path: string): string {
  return `${method} ${path.replace(/\/\d+(?=\/|\.json|$)/g, "/:id").replace(/external_id\/[\w-]+/, "external_id/:id")}`;
}

export function createDiscourseClient(site: SiteConfig, opts: ClientOptions = {}) {
  const fetcher = ofetch.create({
    baseURL: site.baseUrl,
    headers: {
      "Api-Key": site.apiKey,
      "Api-Username": site.apiUsername,
      Accept: "application/json",
      "User-Agent": opts.userAgent ?? "discourse-ics",
    },
    retry: 0,
    ignoreResponseError: true,
  });
  const maxAttempts = opts.maxAttempts ?? 5;
  const max429 = opts.max429 ?? 10;
  const backoff = opts.backoffMs ?? 500;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let requestCount = 0;

  async function request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S | null,
    ro: RequestOptions = {},
  ): Promise<z.infer<S>> {
    return (await requestWithUrl(method, path, schema, ro)).data;
  }

  async function requestWithUrl<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S | null,
    ro: RequestOptions = {},
  ): Promise<{ data: z.infer<S>; url: string }> {
    const route = routeOf(method, path);
    let failures = 0;
    let limited = 0;
    let redirects = 0;
    let target = path;
    let query = ro.query;
    for (;;) {
      await opts.limiter?.acquire(opts.signal);
      requestCount++;
      let res: Awaited<ReturnType<typeof fetcher.raw>>;
      try {
        res = await fetcher.raw(target, {
          method: method as "GET",
          query,
          body: ro.body,
          // redirects are followed here, so each hop waits for the rate limiter like any request
          redirect: "manual",
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        // network error or timeout: the request may or may not have reached Discourse
        if (++failures >= maxAttempts) {
          throw new DiscourseError(site.id, route, 0, [
            `no answer from ${new URL(site.baseUrl).origin} after ${failures} attempts: ${noAnswerReason(err, timeoutMs)}`,
          ]);
        }
        opts.logger?.debug({ route, attempt: failures }, "Discourse request failed, retrying");
        await sleep(backoff * 2 ** (failures - 1) * (0.5 + Math.random()));
        continue;
      }
      const data: unknown = res._data;
      const location = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && location) {
        const next = new URL(location, new URL(target, site.baseUrl));
        // the API key goes to the forum only
        if (next.origin !== new URL(site.baseUrl).origin || ++redirects > MAX_REDIRECTS) {
          throw new DiscourseError(site.id, route, res.status, [
            `unexpected redirect to ${next.origin}${next.pathname}`,
          ]);
        }
        target = next.pathname + next.search;
        query = undefined;
        continue;
      }
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers, data);
        opts.logger?.warn({ route, waitMs: wait }, "Discourse rate limit hit; pausing the site's requests");
        await opts.limiter?.pauseFor(wait);
        if (!opts.limiter) await sleep(wait);
        if (++limited > max429)
          throw new DiscourseError(site.id, route, 429, ["still rate limited after retries"]);
        continue;
      }
      if (res.status >= 500) {
        if (++failures >= maxAttempts) {
          throw new DiscourseError(site.id, route, res.status, errorMessages(data, res.status));
        }
        await sleep(backoff * 2 ** (failures - 1) * (0.5 + Math.random()));
        continue;
      }
      if (res.status >= 400) {
        const parsed = errorBody.safeParse(data);
        throw new DiscourseError(
          site.id,
          route,
          res.status,
          errorMessages(data, res.status),
          parsed.success ? parsed.data.error_type : undefined,
        );
      }
      const url = new URL(target, site.baseUrl).href;
      if (!schema) return { data: undefined as z.infer<S>, url };
      const result = schema.safeParse(data);
      if (!result.success) {
        throw new DiscourseError(site.id, route, res.status, [
          `unexpected answer: ${result.error.issues[0]?.message ?? "invalid"} at ${result.error.issues[0]?.path.join(".") ?? ""}`,
        ]);
      }
      return { data: result.data, url };
    }
  }

  function errorMessages(data: unknown, status: number): string[] {
    const parsed = errorBody.safeParse(data);
    if (parsed.success && parsed.data.errors?.length) return parsed.data.errors;
    if (typeof data === "string" && data.trim()) return [data.trim().slice(0, 300)];
    return [`HTTP ${status}`];
  }

  return {
    get requestCount() {
      return requestCount;
    },
    request,
    async createTopic(p: {
      title: string;
      raw: string;
      category: number;
      tags: string[];
      externalId: string;
    }) {
      const body: Record<string, unknown> = {
        title: p.title,
        raw: p.raw,
        category: p.category,
        external_id: p.externalId,
      };
      if (p.tags.length) body.tags = p.tags;
      const res = await request("POST", "/posts.json", createdPost, { body });
      if ("action" in res) {
        throw new DiscourseError(site.id, "POST /posts.json", 200, [
          "the post was queued for approval; let the API user post without review",
        ]);
      }
      return { topicId: res.topic_id, postId: res.id };
    },
    /** The topic with this external_id (following Discourse's redirect), or null. */
    async topicByExternalId(externalId: string): Promise<z.infer<typeof topicView> | null> {
      try {
        return await request("GET", `/t/external_id/${externalId}.json`, topicView, {
          query: { include_raw: 1 },
        });
      } catch (err) {
        if (err instanceof DiscourseError && err.status === 404) return null;
        throw err;
      }
    },
    async topic(topicId: number) {
      return await request("GET", `/t/${topicId}.json`, topicView, { query: { include_raw: 1 } });
    },
    async post(postId: number) {
      return await request("GET", `/posts/${postId}.json`, post);
    },
    async updatePost(postId: number, raw: string, p: { quiet: boolean; reason?: string }) {
      const body: Record<string, unknown> = {
        post: { raw, edit_reason: p.reason ?? "Calendar feed update" },
      };
      if (p.quiet) body.bypass_bump = true;
      await request("PUT", `/posts/${postId}.json`, updatedPost, { body });
    },
    async setStatus(topicId: number, status: StatusName, enabled: boolean) {
      await request("PUT", `/t/${topicId}/status`, null, { body: { status, enabled: String(enabled) } });
    },
    async deleteTopic(topicId: number) {
      await request("DELETE", `/t/${topicId}.json`, null);
    },
    async recoverTopic(topicId: number) {
      await request("PUT", `/t/${topicId}/recover`, null);
    },
    /**
     * One page of a category's topic list. `path` is "/c/{slug}/{id}" when known; "/c/{id}" works too
     * but costs a redirect, so the canonical path is returned for next time.
     */
    async categoryPage(path: string, page: number) {
      const { data, url } = await requestWithUrl("GET", `${path}.json`, topicList, { query: { page } });
      const canonical = url ? new URL(url).pathname.replace(/\.json$/, "") : path;
      return { list: data, path: canonical };
    },
  };
}

export type DiscourseClient = ReturnType<typeof createDiscourseClient>;
