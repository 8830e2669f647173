/**
 * Bearer-token check for admin endpoints: 401 without a token, 403 with a wrong one. The comparison is
 * of SHA-256 digests with timingSafeEqual, so its time says nothing about the token or its length.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

function digest(s: string): Buffer {
  return createHash("sha256").update(s, "utf8").digest();
}

export function tokensMatch(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function adminAuth(adminToken: string | undefined) {
  return async function checkAdmin(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = req.headers.authorization;
    const match = typeof header === "string" ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    if (!match) {
      await reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="discourse-ics"')
        .send({ error: "unauthorized", message: "send the admin token as Authorization: Bearer <token>" });
      return;
    }
    if (!adminToken) {
      await reply
        .code(403)
        .send({ error: "forbidden", message: "the admin API is disabled: no http.adminToken is configured" });
      return;
    }
    if (!tokensMatch(match[1]!, adminToken)) {
      await reply.code(403).send({ error: "forbidden", message: "wrong admin token" });
    }
  };
}
