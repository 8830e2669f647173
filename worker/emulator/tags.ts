/** Tag resolution as DiscourseTagging does it for a given user. */
import type { User } from "./model.ts";
import { isStaff } from "./model.ts";
import type { SiteSettings } from "./settings.ts";
import type { Store } from "./state.ts";
import { cleanTag } from "./text.ts";

export function canCreateTag(u: User, s: SiteSettings): boolean {
  return isStaff(u) || u.trustLevel >= s.min_trust_to_create_tag;
}

/** Normalises names, matches existing tags case-insensitively, creates or silently drops unknown ones. */
export function resolveTags(store: Store, names: string[], u: User, s: SiteSettings): number[] {
  if (!s.tagging_enabled) return [];
  const ids: number[] = [];
  for (const name of names) {
    const clean = cleanTag(name, s.max_tag_length, s.force_lowercase_tags);
    if (clean === "") continue;
    const tag = store.tagByName(clean) ?? (canCreateTag(u, s) ? store.createTag(clean) : undefined);
    if (tag && !ids.includes(tag.id)) ids.push(tag.id);
  }
  return ids;
}
