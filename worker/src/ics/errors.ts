/**
 * The one error type of ingestion. Its message always names the feed and the reason, and never carries
 * credentials: URLs go through redactUrl before they are put in a message.
 */
export class FeedError extends Error {
  readonly feedId: string;
  /** Machine-readable reason, e.g. "not-icalendar", "http-status", "too-large", "blocked-address". */
  readonly code: string;

  constructor(feedId: string, code: string, reason: string, options?: { cause?: unknown }) {
    super(`feed "${feedId}": ${reason}`, options);
    this.name = "FeedError";
    this.feedId = feedId;
    this.code = code;
  }
}

const SENSITIVE_PARAM = /token|key|secret|pass|auth|sig|session|credential|code|private/i;

/** A URL fit for messages: user-info removed, values of sensitive query parameters masked. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL (a file path, or garbage): drop anything that looks like user-info.
    return url.replace(/\/\/[^/@\s]*@/, "//");
  }
  parsed.username = "";
  parsed.password = "";
  for (const name of [...parsed.searchParams.keys()]) {
    if (SENSITIVE_PARAM.test(name)) parsed.searchParams.set(name, "***");
  }
  // Path segments of private calendar links (Google "private-<hex>", long random tokens) are secrets too.
  parsed.pathname = parsed.pathname
    .split("/")
    .map((seg) => (/^private-[0-9a-f]{8,}$/i.test(seg) || /^[A-Za-z0-9_-]{32,}$/.test(seg) ? "***" : seg))
    .join("/");
  return parsed.toString().replace(/%2A%2A%2A/g, "***");
}
