/**
 * Why an HTTP request got no answer, in words an admin can act on. ofetch wraps undici's TypeError
 * ("fetch failed"), which wraps the system error whose code says what went wrong, so the whole
 * chain of causes is searched.
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
