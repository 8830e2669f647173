/** Tag resolution as DiscourseTagging does it for a given user. */
import type { User } from "./model.ts";
import { isStaff } from "./model.ts";
import type { SiteSettings } from "./settings.ts";
import type { Store } from "./state.ts";
import { cleanTag } from "./text.ts";

export function canCreateTag(u: User, s: SiteSettings): boolean {
  return isStaff(u) || u.trustLevel >= s.min_trust_to_create_tag;
}

/**
 * DiscourseTagging.tags_for_saving: names matching an existing tag (case-insensitively, as sent) are
 * kept; users who may create tags also get the other names cleaned and created; the rest is dropped.
 */
export function resolveTags(store: Store, names: string[], u: User, s: SiteSettings): number[] {
  if (!s.tagging_enabled) return [];
  const ids: number[] = [];
  const add = (id: number) => {
    if (!ids.includes(id)) ids.push(id);
  };
  for (const name of names) {
    const existing = store.tagByName(name);
    if (existing) add(existing.id);
  }
  if (canCreateTag(u, s)) {
    for (const name of names) {
      if (store.tags.some((t) => t.name === name)) continue;
      const clean = cleanTag(name, s.max_tag_length, s.force_lowercase_tags);
      if (clean === "") continue;
      add((store.tagByName(clean) ?? store.createTag(clean)).id);
    }
  }
  return ids.slice(0, s.max_tags_per_topic);
}
