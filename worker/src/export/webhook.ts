/**
 * Discourse webhook facts, as plain functions: is the signature right, and which exports does an
 * event touch. The HTTP side (raw body, replay guard, queueing) lives in webhook-route.ts.
 */
import { createHmac } from "node:crypto";
import type { ExportConfig, SiteConfig } from "../core/feed.ts";
import { hexEqual } from "../core/constant-time.ts";

export type SignatureCheck = "ok" | "missing" | "invalid";

/** X-Discourse-Event-Signature: sha256=<hex HMAC-SHA256(secret, raw body)> */
export function checkSignature(rawBody: Buffer, header: string | undefined, secret: string): SignatureCheck {
  if (!header) return "missing";
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return "invalid";
  const expected = createHmac("sha256", secret).update(rawBody).digest("hex");
  return hexEqual(match[1]!, expected) ? "ok" : "invalid";
}

/** Sites a delivery may come from: the one X-Discourse-Instance names, else every site with a secret. */
export function candidateSites(sites: SiteConfig[], instance: string | undefined): SiteConfig[] {
  const withSecret = sites.filter((s) => s.webhookSecret);
  if (!instance) return withSecret;
  const norm = (u: string) => u.trim().replace(/\/+$/, "").toLowerCase();
  const named = withSecret.filter((s) => norm(s.baseUrl) === norm(instance));
  return named.length > 0 ? named : withSecret;
}

const REBUILD_EVENTS = new Set([
  "topic_created",
  "topic_edited",
  "topic_destroyed",
  "topic_recovered",
  "post_created",
  "post_edited",
  "post_destroyed",
  "post_recovered",
  "calendar_event_created",
  "calendar_event_updated",
  "calendar_event_destroyed",
]);

/** Events after which the topic may have left a category: every export of the site is rebuilt. */
const MAY_MOVE = new Set(["topic_edited", "topic_destroyed", "topic_recovered", "post_destroyed"]);

function categoryOf(payload: unknown): number | undefined {
  if (!payload || typeof payload !== "object") return undefined;
  for (const value of Object.values(payload as Record<string, unknown>)) {
    if (value && typeof value === "object") {
      const id = (value as { category_id?: unknown }).category_id;
      if (typeof id === "number") return id;
    }
  }
  return undefined;
}

/** Names of the exports a webhook event may change; empty when the event is of no interest. */
export function affectedExports(
  exports: ExportConfig[],
  siteId: string,
  event: string | undefined,
  payload: unknown,
): string[] {
  if (!event || !REBUILD_EVENTS.has(event)) return [];
  const ofSite = exports.filter((e) => e.siteId === siteId);
  const category = categoryOf(payload);
  if (MAY_MOVE.has(event) || category === undefined) return ofSite.map((e) => e.name);
  // A subcategory's parent is not in the payload: exports that take subcategories are rebuilt too.
  return ofSite
    .filter((e) => e.categoryIds.length === 0 || e.categoryIds.includes(category) || e.includeSubcategories)
    .map((e) => e.name);
}
