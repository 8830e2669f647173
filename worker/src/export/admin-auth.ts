/**
 * The admin check of the export API: the service's own pre-handler when it passes one, else the
 * bearer token from ExportDeps.adminToken (401 without one, 403 when wrong or not configured).
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { secretsEqual } from "./constant-time.ts";
import type { ExportDeps } from "./types.ts";

export function exportAdminCheck(deps: ExportDeps) {
  if (deps.adminPreHandler) return deps.adminPreHandler;
  const token = deps.adminToken;
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
    if (!token) {
      await reply
        .code(403)
        .send({ error: "forbidden", message: "the export API is disabled: no admin token is configured" });
      return;
    }
    if (!secretsEqual(match[1]!, token))
      await reply.code(403).send({ error: "forbidden", message: "wrong admin token" });
  };
}
