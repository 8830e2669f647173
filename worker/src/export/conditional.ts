/**
 * HTTP caching decisions for a served export: which stored encoding to send and whether the client's
 * copy is still current. Plain functions of header values.
 */
import type { Encoding } from "./cache.ts";

/** Pick br, then gzip, then identity, honouring q-values (q=0 refuses). */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return "identity";
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [token, ...params] = part.trim().toLowerCase().split(";");
    if (!token) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(token, Number.isFinite(value) ? value : 0);
  }
  const weight = (name: string) => q.get(name) ?? q.get("*") ?? 0;
  const best = (["br", "gzip"] as const)
    .filter((e) => weight(e) > 0)
    .sort((a, b) => weight(b) - weight(a))[0];
  return best ?? "identity";
}

/** The strong validator sent with one encoding of the body. */
export function encodedEtag(etag: string, encoding: Encoding): string {
  return encoding === "identity" ? etag : `${etag.slice(0, -1)}-${encoding}"`;
}

function opaque(tag: string): string {
  return tag
    .trim()
    .replace(/^W\//, "")
    .replace(/-(gzip|br)"$/, '"');
}

/**
 * True when the client's copy is current (answer 304). If-None-Match wins over If-Modified-Since,
 * as RFC 9110 §13.2.2 orders them; tags are compared weakly, whatever encoding they were sent with.
 */
export function isNotModified(
  headers: { ifNoneMatch?: string | undefined; ifModifiedSince?: string | undefined },
  etag: string,
  lastModified: string,
): boolean {
  if (headers.ifNoneMatch !== undefined) {
    const tags = headers.ifNoneMatch.split(",").map((t) => t.trim());
    return tags.includes("*") || tags.some((t) => opaque(t) === etag);
  }
  if (headers.ifModifiedSince !== undefined) {
    const since = Date.parse(headers.ifModifiedSince);
    const modified = Date.parse(lastModified);
    return Number.isFinite(since) && Number.isFinite(modified) && modified <= since;
  }
  return false;
}
