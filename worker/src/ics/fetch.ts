/**
 * Fetches a feed's bytes: http(s) (webcal:// read as https) through ofetch, or a local file. Conditional
 * GET, bounded redirects with the address guard on every hop, a size cap enforced while streaming,
 * retries with backoff on timeouts, network errors and 5xx. Every failure is a FeedError naming the
 * feed, with credentials removed from any URL in the message.
 */
import { noAnswerReason } from "../core/network-reason.ts";
import { createHash } from "node:crypto";
import { open, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { ofetch } from "ofetch";
import type { FeedSource } from "../core/feed.ts";
import { refusedReason } from "./address-guard.ts";
import type { Resolver } from "./address-guard.ts";
import { redactUrl } from "../core/redact-url.ts";
import { FeedError } from "./errors.ts";

export interface FetchOptions {
  feedId: string;
  /** Per attempt, covering headers and body. Default 30 s. */
  timeoutMs?: number;
  /** Default 32 MiB; the download is aborted as soon as it is exceeded. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Further attempts after a timeout, network error, 408, 429 or 5xx. Default 2. */
  retries?: number;
  /** Delay before the first retry, doubled for each further one. Default 1000 ms. */
  retryDelayMs?: number;
  /** Allow URLs resolving to loopback/private/link-local addresses (tests, self-hosted setups). */
  allowPrivateAddresses?: boolean;
  /** Host names allowed to resolve to private addresses even when allowPrivateAddresses is off. */
  allowedHosts?: string[];
  etag?: string;
  lastModified?: string;
  /** sha256 (hex) of the last body; an identical body is reported as not modified. */
  previousHash?: string;
  userAgent?: string;
  /** DNS resolution used by the address guard (default: the system resolver). */
  resolve?: Resolver;
}

export type FetchResult =
  | { status: "not-modified" }
  | { status: "ok"; body: Uint8Array; etag?: string; lastModified?: string; hash: string };

const DEFAULTS = {
  timeoutMs: 30_000,
  maxBytes: 32 * 1024 * 1024,
  maxRedirects: 5,
  retries: 2,
  retryDelayMs: 1000,
  userAgent: "discourse-ics-worker/0.1 (iCalendar importer)",
};

function sha256(body: Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

function isLocal(url: string): boolean {
  return url.startsWith("file:") || !/^[a-z][a-z0-9+.-]*:\/\//i.test(url);
}

function tooLarge(feedId: string, maxBytes: number): FeedError {
  return new FeedError(feedId, "too-large", `the feed is larger than the limit of ${maxBytes} bytes`);
}

async function readLocal(source: FeedSource, opts: FetchOptions, maxBytes: number): Promise<FetchResult> {
  const path = source.url.startsWith("file:") ? fileURLToPath(source.url) : source.url;
  let body: Uint8Array;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new FeedError(opts.feedId, "file", `"${path}" is not a file`);
    if (info.size > maxBytes) throw tooLarge(opts.feedId, maxBytes);
    const handle = await open(path, "r");
    try {
      // Read at most one byte past the cap, in case the file grew since stat.
      const buf = new Uint8Array(Math.min(info.size, maxBytes) + 1);
      let filled = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buf, filled, buf.length - filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
        if (filled > maxBytes) throw tooLarge(opts.feedId, maxBytes);
        if (filled === buf.length) break;
      }
      body = buf.subarray(0, filled);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof FeedError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new FeedError(opts.feedId, "file", `cannot read the file "${path}" (${code})`, { cause: err });
  }
  const hash = sha256(body);
  if (opts.previousHash && hash === opts.previousHash) return { status: "not-modified" };
  return { status: "ok", body, hash };
}

/** The request URL and the headers that go with it; URL credentials move into an Authorization header. */
function prepare(source: FeedSource, userAgent: string): { url: URL; headers: Record<string, string> } {
  const raw = source.url.trim().replace(/^webcals?:\/\//i, "https://");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error("not a valid URL");
  }
  const headers: Record<string, string> = {
    "user-agent": userAgent,
    accept: "text/calendar, text/plain;q=0.9, */*;q=0.5",
  };
  for (const [k, v] of Object.entries(source.headers ?? {})) headers[k.toLowerCase()] = v;
  let user = source.basicAuth?.username;
  let pass = source.basicAuth?.password;
  if (url.username || url.password) {
    user ??= decodeURIComponent(url.username);
    pass ??= decodeURIComponent(url.password);
    url.username = "";
    url.password = "";
  }
  if (user !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass ?? ""}`).toString("base64")}`;
  }
  return { url, headers };
}

class RetryableError extends Error {
  readonly feedError: FeedError;
  constructor(feedError: FeedError) {
    super(feedError.message);
    this.feedError = feedError;
  }
}

async function readBody(
  stream: ReadableStream<Uint8Array> | null | undefined,
  declaredLength: string | null,
  maxBytes: number,
  feedId: string,
): Promise<Uint8Array> {
  if (declaredLength !== null && Number(declaredLength) > maxBytes) throw tooLarge(feedId, maxBytes);
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw tooLarge(feedId, maxBytes);
      chunks.push(value);
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    throw err;
  }
  return Buffer.concat(chunks);
}

/** One attempt: follows redirects itself so the guard sees every hop. */
async function attempt(source: FeedSource, opts: FetchOptions, cfg: typeof DEFAULTS): Promise<FetchResult> {
  const { feedId } = opts;
  let prepared: ReturnType<typeof prepare>;
  try {
    prepared = prepare(source, cfg.userAgent);
  } catch {
    throw new FeedError(feedId, "bad-url", `the URL "${redactUrl(source.url)}" is not valid`);
  }
  let { url } = prepared;
  let headers = { ...prepared.headers };
  if (opts.etag) headers["if-none-match"] = opts.etag;
  if (opts.lastModified) headers["if-modified-since"] = opts.lastModified;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error("timeout")), cfg.timeoutMs);
  try {
    for (let hop = 0; ; hop++) {
      // DNS lookups cannot be aborted, so the timeout races them.
      const refused = await untilAborted(
        refusedReason(url, {
          allowPrivateAddresses: opts.allowPrivateAddresses ?? false,
          allowedHosts: opts.allowedHosts ?? [],
          ...(opts.resolve ? { resolve: opts.resolve } : {}),
        }),
        controller.signal,
      ).catch((err: unknown) => {
        throw new RetryableError(
          new FeedError(feedId, "timeout", `${redactUrl(url.href)} timed out after ${cfg.timeoutMs} ms`, {
            cause: err,
          }),
        );
      });
      if (refused) {
        throw new FeedError(feedId, "blocked-address", `refused to fetch ${redactUrl(url.href)}: ${refused}`);
      }
      let response: Response;
      try {
        response = await ofetch.raw(url.href, {
          method: "GET",
          headers,
          redirect: "manual",
          responseType: "stream",
          retry: false,
          ignoreResponseError: true,
          signal: controller.signal,
        });
      } catch (err) {
        const reason = controller.signal.aborted ? `timed out after ${cfg.timeoutMs} ms` : networkReason(err);
        throw new RetryableError(
          new FeedError(
            feedId,
            controller.signal.aborted ? "timeout" : "network",
            `${redactUrl(url.href)} ${reason}`,
            {
              cause: err,
            },
          ),
        );
      }
      const status = response.status;
      if (status >= 300 && status < 400 && status !== 304) {
        const location = response.headers.get("location");
        await response.body?.cancel().catch(() => undefined);
        if (!location) {
          throw new FeedError(
            feedId,
            "http-status",
            `${redactUrl(url.href)} answered ${status} without a Location`,
          );
        }
        if (hop + 1 > cfg.maxRedirects) {
          throw new FeedError(
            feedId,
            "too-many-redirects",
            `more than ${cfg.maxRedirects} redirects (last to ${redactUrl(new URL(location, url).href)})`,
          );
        }
        const next = new URL(location, url);
        if (next.origin !== url.origin) {
          // Credentials and custom headers are for the configured origin only.
          headers = { "user-agent": headers["user-agent"]!, accept: headers.accept! };
        }
        url = next;
        continue;
      }
      if (status === 304) {
        await response.body?.cancel().catch(() => undefined);
        return { status: "not-modified" };
      }
      if (status < 200 || status >= 300) {
        await response.body?.cancel().catch(() => undefined);
        const error = new FeedError(
          feedId,
          "http-status",
          `${redactUrl(url.href)} answered HTTP ${status}${response.statusText ? ` ${response.statusText}` : ""}`,
        );
        if (status >= 500 || status === 408 || status === 429) throw new RetryableError(error);
        throw error;
      }
      let body: Uint8Array;
      try {
        body = await readBody(
          response.body as ReadableStream<Uint8Array> | null,
          response.headers.get("content-length"),
          cfg.maxBytes,
          feedId,
        );
      } catch (err) {
        if (err instanceof FeedError) throw err;
        if (controller.signal.aborted) {
          throw new RetryableError(
            new FeedError(feedId, "timeout", `${redactUrl(url.href)} timed out after ${cfg.timeoutMs} ms`),
          );
        }
        throw new RetryableError(
          new FeedError(feedId, "network", `${redactUrl(url.href)} ${networkReason(err)}`),
        );
      }
      const hash = sha256(body);
      if (opts.previousHash && hash === opts.previousHash) return { status: "not-modified" };
      const result: FetchResult = { status: "ok", body, hash };
      const etag = response.headers.get("etag");
      const lastModified = response.headers.get("last-modified");
      if (etag) result.etag = etag;
      if (lastModified) result.lastModified = lastModified;
      return result;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function networkReason(err: unknown): string {
  // The system error code sits two causes deep (ofetch -> undici -> system); search the whole chain.
  return `could not be reached: ${noAnswerReason(err, DEFAULTS.timeoutMs)}`;
}

/** Fetches a feed; throws FeedError. */
export async function fetchFeed(source: FeedSource, opts: FetchOptions): Promise<FetchResult> {
  const cfg = {
    timeoutMs: opts.timeoutMs ?? DEFAULTS.timeoutMs,
    maxBytes: opts.maxBytes ?? DEFAULTS.maxBytes,
    maxRedirects: opts.maxRedirects ?? DEFAULTS.maxRedirects,
    retries: opts.retries ?? DEFAULTS.retries,
    retryDelayMs: opts.retryDelayMs ?? DEFAULTS.retryDelayMs,
    userAgent: opts.userAgent ?? DEFAULTS.userAgent,
  };
  if (isLocal(source.url)) return readLocal(source, opts, cfg.maxBytes);
  for (let n = 0; ; n++) {
    try {
      return await attempt(source, opts, cfg);
    } catch (err) {
      if (!(err instanceof RetryableError)) throw err;
      if (n >= cfg.retries) {
        const tries = n + 1;
        throw new FeedError(
          opts.feedId,
          err.feedError.code,
          `${err.feedError.message.replace(/^feed "[^"]*": /, "")} (${tries} attempt${tries > 1 ? "s" : ""})`,
          { cause: err.feedError },
        );
      }
      await new Promise((r) => setTimeout(r, cfg.retryDelayMs * 2 ** n));
    }
  }
}
