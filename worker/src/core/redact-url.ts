/**
 * Secrets inside URLs (user-info, token parameters, private calendar paths) kept out of every message
 * and log: feed errors, the feed API, request logs and the command line all print URLs through this.
 */
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
