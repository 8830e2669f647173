/**
 * The one bearer-token check of the worker's admin endpoints (feeds, jobs, exports): 401 without a
 * token, 403 with a wrong one or when none is configured. Tokens are compared in constant time.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { secretsEqual } from "./constant-time.ts";

export function bearerAuth(expectedToken: string | undefined, disabledMessage: string) {
  return async function checkBearer(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = req.headers.authorization;
    const match = typeof header === "string" ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    if (!match) {
      await reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="discourse-ics"')
        .send({ error: "unauthorized", message: "send the admin token as Authorization: Bearer <token>" });
      return;
    }
    if (!expectedToken) {
      await reply.code(403).send({ error: "forbidden", message: disabledMessage });
      return;
    }
    if (!secretsEqual(match[1]!, expectedToken)) {
      await reply.code(403).send({ error: "forbidden", message: "wrong admin token" });
    }
  };
}
