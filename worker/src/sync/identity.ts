/**
 * Identity of an imported event on Discourse. The external_id is derived only from the site, feed and
 * event key, so it is the same after a crash or a lost Redis: Discourse's unique external_id then
 * refuses a second topic for the same event.
 */
import { createHash } from "node:crypto";

const EXTERNAL_ID_PREFIX = "ics-";

/** "ics-" + 40 hex digits of SHA-256: 44 characters of [A-Za-z0-9_-] (Discourse allows 50). */
export function externalIdFor(siteId: string, feedId: string, eventKey: string): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([siteId, feedId, eventKey]))
    .digest("hex");
  return EXTERNAL_ID_PREFIX + digest.slice(0, 40);
}

const EXTERNAL_ID_RE = /^[A-Za-z0-9_-]{1,50}$/;

export function isValidExternalId(id: string): boolean {
  return EXTERNAL_ID_RE.test(id);
}

/** The marker the Python importer (ics_to_discourse.py) writes: first 16 hex digits of SHA-1(UID). */
export function legacyUidHash(uid: string): string {
  return createHash("sha1").update(uid, "utf8").digest("hex").slice(0, 16);
}

/** The tag older versions of the Python importer added: "ics-" + 10 hex digits of SHA-1(UID). */
export function legacyUidTag(uid: string): string {
  return "ics-" + createHash("sha1").update(uid, "utf8").digest("hex").slice(0, 10);
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
