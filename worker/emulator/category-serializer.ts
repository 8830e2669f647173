/**
 * Category JSON as Discourse serializes it: SiteCategorySerializer for /site.json and
 * CategoryDetailedSerializer for /categories.json, both built on BasicCategorySerializer.
 */
import type { Category, Topic, User } from "./model.ts";
import { isStaff } from "./model.ts";
import type { SiteSettings } from "./settings.ts";
import type { Store } from "./state.ts";
import type { Json } from "./serialize.ts";
import { canSeeCategory } from "./visibility.ts";

/** CategoryGroup.permission_types[:full]. */
export const PERMISSION_FULL = 1;
/** CategoryUser.notification_levels[:regular], the default level. */
const NOTIFICATION_REGULAR = 1;
const UNCATEGORIZED_ID = 1;
const UNCATEGORIZED_DESCRIPTION =
  "Topics that don't need a category, or don't fit into any other existing category.";
const DAY_MS = 86_400_000;

export interface CategoryStats {
  topicCount: number;
  postCount: number;
  topicsDay: number;
  topicsWeek: number;
  topicsMonth: number;
  topicsYear: number;
}

/**
 * Category.update_stats: visible, undeleted topics other than the "About" topic, and their posts.
 * Discourse refreshes these hourly; here they are always current.
 */
export function categoryStats(store: Store, c: Category, now: number): CategoryStats {
  const topics = store.topics.filter(
    (t: Topic) => t.categoryId === c.id && t.id !== c.topicId && t.visible && t.deletedAt === null,
  );
  const since = (ms: number) => topics.filter((t) => t.createdAt >= now - ms).length;
  return {
    topicCount: topics.length,
    postCount: topics.reduce(
      (n, t) => n + t.posts.filter((p) => p.deletedAt === null && p.postType === 1).length,
      0,
    ),
    topicsDay: since(DAY_MS),
    topicsWeek: since(7 * DAY_MS),
    topicsMonth: since(30 * DAY_MS),
    topicsYear: since(365 * DAY_MS),
  };
}

/** Category.topic_create_allowed: staff everywhere they see; others not in Uncategorized unless allowed. */
export function canCreateTopicIn(c: Category, viewer: User | null, s: SiteSettings): boolean {
  if (viewer === null || !canSeeCategory(c, viewer)) return false;
  if (isStaff(viewer)) return true;
  return c.id !== UNCATEGORIZED_ID || s.allow_uncategorized_topics;
}

/** BasicCategorySerializer's fields (can_edit and parent_category_id are added by the callers). */
function basicCategory(store: Store, c: Category, stats: CategoryStats): Json {
  const uncategorized = c.id === UNCATEGORIZED_ID;
  const topic = store.topic(c.topicId);
  // A new category's description stays empty until its "About" post is edited.
  const description = uncategorized ? UNCATEGORIZED_DESCRIPTION : null;
  return {
    id: c.id,
    name: c.name,
    color: c.color,
    text_color: "FFFFFF",
    style_type: "square",
    icon: null,
    emoji: null,
    slug: c.slug,
    topic_count: stats.topicCount,
    post_count: stats.postCount,
    position: store.categories.indexOf(c),
    description,
    description_text: description,
    description_excerpt: description,
    topic_url: topic ? `/t/${topic.slug}/${topic.id}` : null,
    read_restricted: c.readRestricted,
    permission: null,
    notification_level: NOTIFICATION_REGULAR,
    topic_template: null,
    topic_title_placeholder: null,
    has_children: false,
    subcategory_count: null,
    sort_order: null,
    sort_ascending: null,
    show_subcategory_list: false,
    num_featured_topics: 3,
    default_view: null,
    subcategory_list_style: "rows_with_featured_topics",
    default_top_period: "all",
    default_list_filter: "all",
    minimum_required_tags: 0,
    navigate_to_first_post_after_read: false,
    uploaded_logo: null,
    uploaded_logo_dark: null,
    uploaded_background: null,
    uploaded_background_dark: null,
  };
}

/**
 * Site#categories: every category the viewer can see (a subcategory only with its parent), ordered
 * by position. `permission` is 1 where the viewer may create topics and null elsewhere, `can_edit`
 * true for admins only (moderators may not edit categories by default).
 */
export function siteCategories(store: Store, viewer: User | null, s: SiteSettings, now: number): Json[] {
  const visible = store.categories.filter((c) => canSeeCategory(c, viewer));
  const ids = new Set(visible.map((c) => c.id));
  const withChildren = new Set(visible.flatMap((c) => (c.parentId === null ? [] : [c.parentId])));
  return visible
    .filter((c) => c.parentId === null || ids.has(c.parentId))
    .map((c) => {
      const out: Json = {
        ...basicCategory(store, c, categoryStats(store, c, now)),
        permission: canCreateTopicIn(c, viewer, s) ? PERMISSION_FULL : null,
        has_children: withChildren.has(c.id),
        can_edit: viewer?.admin === true,
        allow_global_tags: false,
        read_only_banner: null,
        form_template_ids: [],
        required_tag_groups: [],
      };
      if (!s.tagging_enabled) {
        delete out["allow_global_tags"];
        delete out["required_tag_groups"];
      }
      if (c.parentId !== null) out["parent_category_id"] = c.parentId;
      return out;
    });
}

/**
 * CategoryList + CategoryDetailedSerializer: top-level categories the viewer can see, each with
 * `subcategory_ids` and, when asked, `subcategory_list` (serialized the same way, nested).
 * Uncategorized is left out unless `allow_uncategorized_topics` (CategoryList#prune_empty).
 * `can_edit` appears only for admins (BasicCategorySerializer#include_can_edit?).
 */
export function categoryList(
  store: Store,
  viewer: User | null,
  s: SiteSettings,
  now: number,
  includeSubcategories: boolean,
): Json[] {
  const visible = store.categories.filter((c) => canSeeCategory(c, viewer));
  const childrenOf = (id: number) => visible.filter((c) => c.parentId === id);
  const detailed = (c: Category): Json => {
    const stats = categoryStats(store, c, now);
    // count_with_subcategories adds every direct subcategory, seen or not.
    const subStats = store.categories
      .filter((x) => x.parentId === c.id)
      .map((x) => categoryStats(store, x, now));
    const sum = (pick: (x: CategoryStats) => number) => subStats.reduce((n, x) => n + pick(x), pick(stats));
    const children = childrenOf(c.id);
    const out: Json = {
      ...basicCategory(store, c, stats),
      permission: canCreateTopicIn(c, viewer, s) ? PERMISSION_FULL : null,
      has_children: children.length > 0,
      subcategory_count: children.length > 0 ? children.length : null,
      topics_day: sum((x) => x.topicsDay),
      topics_week: sum((x) => x.topicsWeek),
      topics_month: sum((x) => x.topicsMonth),
      topics_year: sum((x) => x.topicsYear),
      topics_all_time: sum((x) => x.topicCount),
      subcategory_ids: children.map((x) => x.id),
    };
    if (viewer?.admin === true) out["can_edit"] = true;
    if (c.parentId !== null) out["parent_category_id"] = c.parentId;
    if (c.id === UNCATEGORIZED_ID) out["is_uncategorized"] = true;
    if (includeSubcategories) out["subcategory_list"] = children.map(detailed);
    return out;
  };
  return visible
    .filter((c) => c.parentId === null)
    .filter((c) => c.id !== UNCATEGORIZED_ID || s.allow_uncategorized_topics)
    .map(detailed);
}
