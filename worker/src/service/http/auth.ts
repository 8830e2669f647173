/** Admin endpoints of the service: the shared bearer check with the service's own token. */
import { bearerAuth } from "../../core/bearer-auth.ts";

export function adminAuth(adminToken: string | undefined) {
  return bearerAuth(adminToken, "the admin API is disabled: no http.adminToken is configured");
}
