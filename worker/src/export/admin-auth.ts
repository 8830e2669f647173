/**
 * The admin check of the export API: the service's own pre-handler when it passes one, else the
 * shared bearer check with ExportDeps.adminToken.
 */
import { bearerAuth } from "../core/bearer-auth.ts";
import type { ExportDeps } from "./types.ts";

export function exportAdminCheck(deps: ExportDeps) {
  return (
    deps.adminPreHandler ??
    bearerAuth(deps.adminToken, "the export API is disabled: no admin token is configured")
  );
}
