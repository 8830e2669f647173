/** Which topics a viewer may see in lists and search (TopicQuery / Search security filters). */
import type { Category, Topic, User } from "./model.ts";
import { isStaff } from "./model.ts";
import type { Store } from "./state.ts";

export function listable(store: Store, t: Topic, viewer: User | null): boolean {
  const staff = viewer !== null && isStaff(viewer);
  if (t.deletedAt !== null) return false;
  const c = store.category(t.categoryId);
  if (!c || (c.readRestricted && !staff)) return false;
  // Unlisted topics are hidden from regular users' lists; staff still see them.
  return t.visible || staff;
}

/** Guardian#can_see_category?: a read-restricted category only for its groups (here: staff). */
export function canSeeCategory(c: Category, viewer: User | null): boolean {
  return !c.readRestricted || (viewer !== null && isStaff(viewer));
}
