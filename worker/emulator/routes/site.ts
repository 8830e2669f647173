/** /site.json (SiteSerializer) and /categories.json (CategoriesController#index). */
import type { Route, RouteRequest, SiteContext } from "../context.ts";
import { route } from "../context.ts";
import { isStaff } from "../model.ts";
import type { Reply } from "../reply.ts";
import { json } from "../reply.ts";
import { categoryList, siteCategories } from "../category-serializer.ts";
import { canCreateTag } from "../tags.ts";
import { canSeeCategory } from "../visibility.ts";

/** Notification.types of core Discourse (plugins add more). */
const NOTIFICATION_TYPES = Object.fromEntries(
  [
    "mentioned",
    "replied",
    "quoted",
    "edited",
    "liked",
    "private_message",
    "invited_to_private_message",
    "invitee_accepted",
    "posted",
    "moved_post",
    "linked",
    "granted_badge",
    "invited_to_topic",
    "custom",
    "group_mentioned",
    "group_message_summary",
    "watching_first_post",
    "topic_reminder",
    "liked_consolidated",
    "post_approved",
    "code_review_commit_approved",
    "membership_request_accepted",
    "membership_request_consolidated",
    "bookmark_reminder",
    "reaction",
    "votes_released",
    "event_reminder",
    "event_invitation",
    "chat_mention",
    "chat_message",
    "chat_invitation",
    "chat_group_mention",
    "chat_quoted",
    "assigned",
    "question_answer_user_commented",
    "watching_category_or_tag",
    "new_features",
    "admin_problems",
    "linked_consolidated",
    "chat_watched_thread",
    "upcoming_change_available",
    "upcoming_change_automatically_promoted",
  ].map((name, i) => [name, i + 1]),
);

/** Group::AUTO_GROUPS, as Group.visible_groups lists them. */
const AUTO_GROUPS: Array<[number, string]> = [
  [0, "everyone"],
  [1, "admins"],
  [2, "moderators"],
  [3, "staff"],
  [10, "trust_level_0"],
  [11, "trust_level_1"],
  [12, "trust_level_2"],
  [13, "trust_level_3"],
  [14, "trust_level_4"],
];

/** DiscourseTagging::TAGS_FILTER_REGEXP's source: characters a tag name may not contain. */
const TAGS_FILTER_REGEXP = "[/\\?#\\[\\]@!\\$&'\\(\\)\\*\\+,;=\\.%\\\\`^\\s|\\{\\}\"<>]+";

/**
 * The parts of SiteSerializer a client reads, with the site's categories as the viewer sees them.
 * Lists this emulator has nothing for (flag types, themes, user fields, auth providers) are empty.
 */
function site(ctx: SiteContext, req: RouteRequest): Reply {
  const viewer = req.user;
  const s = ctx.settings;
  const staff = viewer !== null && isStaff(viewer);
  return json(200, {
    default_archetype: "regular",
    notification_types: NOTIFICATION_TYPES,
    post_types: { regular: 1, moderator_action: 2, small_action: 3, whisper: 4 },
    trust_levels: { newuser: 0, basic: 1, member: 2, regular: 3, leader: 4 },
    groups: AUTO_GROUPS.map(([id, name]) => ({
      id,
      name,
      flair_url: null,
      flair_bg_color: null,
      flair_color: null,
      automatic: true,
    })),
    filters: ["latest", "unread", "new", "unseen", "top", "read", "posted", "bookmarks", "hot"],
    homepage_choices: [],
    periods: ["all", "yearly", "quarterly", "monthly", "weekly", "daily"],
    top_menu_items: ["latest", "new", "unread", "hot", "categories"],
    anonymous_top_menu_items: ["latest", "hot", "categories"],
    uncategorized_category_id: 1,
    user_field_max_length: 2048,
    post_action_types: [],
    topic_flag_types: [],
    can_create_tag: viewer !== null && s.tagging_enabled && canCreateTag(viewer, s),
    can_tag_topics: viewer !== null && s.tagging_enabled,
    can_tag_pms: staff && s.tagging_enabled,
    tags_filter_regexp: TAGS_FILTER_REGEXP,
    top_tags: [],
    topic_featured_link_allowed_category_ids: ctx.store.categories
      .filter((c) => canSeeCategory(c, viewer))
      .map((c) => c.id),
    user_themes: [],
    user_color_schemes: [],
    default_light_color_scheme: null,
    default_dark_color_scheme: null,
    censored_regexp: [],
    custom_emoji_translation: {},
    watched_words_replace: null,
    watched_words_link: null,
    categories: siteCategories(ctx.store, viewer, s, ctx.now()),
    archetypes: [{ id: "regular", name: "regular", options: [] }],
    user_fields: [],
    auth_providers: [],
    full_name_required_for_signup: false,
    full_name_visible_in_signup: true,
    email_configured: true,
  });
}

/** Only the string "true" turns include_subcategories on, as the controller compares it. */
function categories(ctx: SiteContext, req: RouteRequest): Reply {
  const viewer = req.user;
  const include = req.query.get("include_subcategories") === "true";
  return json(200, {
    category_list: {
      can_create_category: viewer?.admin === true,
      can_create_topic: viewer !== null,
      categories: categoryList(ctx.store, viewer, ctx.settings, ctx.now(), include),
    },
  });
}

export const siteRoutes: Route[] = [route("GET", "/site", site), route("GET", "/categories", categories)];
