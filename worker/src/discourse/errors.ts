/** Errors of the Discourse client. Messages name the site, route and Discourse's own words; never the key. */

export class DiscourseError extends Error {
  readonly siteId: string;
  readonly status: number;
  /** Discourse's messages (the "errors" array), or the text body. */
  readonly errors: string[];
  readonly errorType?: string;
  readonly route: string;

  constructor(siteId: string, route: string, status: number, errors: string[], errorType?: string) {
    const detail = errors.length ? errors.join("; ") : `HTTP ${status}`;
    super(`site "${siteId}": ${route} failed (${status || "network"}): ${detail}`);
    this.name = "DiscourseError";
    this.siteId = siteId;
    this.route = route;
    this.status = status;
    this.errors = errors;
    if (errorType) this.errorType = errorType;
  }

  /** Discourse's own text, for per-event failure reports. */
  get discourseMessage(): string {
    return this.errors.join("; ") || `HTTP ${this.status}`;
  }

  get externalIdTaken(): boolean {
    return this.status === 422 && this.errors.some((e) => /external.*(already been taken|taken)/i.test(e));
  }

  get titleTaken(): boolean {
    return this.status === 422 && this.errors.some((e) => /has already been used/i.test(e));
  }

  /** A new topic refused because its category does not exist (or the API user cannot see it). */
  get unknownCategory(): boolean {
    return (
      this.status === 400 &&
      this.errorType === "invalid_parameters" &&
      this.errors.some((e) => /parameters to the request: category$/.test(e))
    );
  }
}

/**
 * Why a request got no answer, in words an admin can act on: ofetch wraps undici's TypeError
 * ("fetch failed"), which wraps the system error whose code says what went wrong.
 */
export function noAnswerReason(err: unknown, timeoutMs: number): string {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e.name === "TimeoutError") return `timed out after ${timeoutMs / 1000} s`;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code in NETWORK_CODES) return `${NETWORK_CODES[code]} (${code})`;
  }
  return err instanceof Error ? err.message : String(err);
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused: nothing listens at that address and port",
  ENOTFOUND: "the host name cannot be resolved",
  EAI_AGAIN: "the host name cannot be resolved right now (DNS)",
  ECONNRESET: "the connection was reset",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  ETIMEDOUT: "the connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  CERT_HAS_EXPIRED: "the TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the TLS certificate is self-signed",
  ERR_TLS_CERT_ALTNAME_INVALID: "the TLS certificate does not match the host name",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the TLS certificate cannot be verified",
};
