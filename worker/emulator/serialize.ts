/** JSON shapes of Discourse's serializers (PostSerializer, TopicViewSerializer, TopicListItemSerializer). */
import type { Category, Post, Topic, User } from "./model.ts";
import { iso, isStaff } from "./model.ts";
import type { Store } from "./state.ts";

export type Json = Record<string, unknown>;

export const avatarTemplate = (u: User): string =>
  `/letter_avatar_proxy/v4/letter/${u.username[0]?.toLowerCase() ?? "x"}/8e7dd6/{size}.png`;

export const basicUser = (u: User): Json => ({
  id: u.id,
  username: u.username,
  name: u.name,
  avatar_template: avatarTemplate(u),
});

export const postUrl = (t: Topic, p: Post): string => `/t/${t.slug}/${t.id}/${p.postNumber}`;

export function tagObjects(store: Store, t: Topic): Json[] {
  return t.tagIds.flatMap((id) => {
    const tag = store.tag(id);
    return tag ? [{ id: tag.id, name: tag.name, slug: tag.name }] : [];
  });
}

function authorOf(store: Store, p: Post): User {
  return store.userById(p.userId) ?? (store.userById(1) as User);
}

/** Fields every PostSerializer variant shares. */
function basePost(store: Store, t: Topic, p: Post, viewer: User | null): Json {
  const u = authorOf(store, p);
  const staff = viewer ? isStaff(viewer) : false;
  const out: Json = {
    id: p.id,
    name: u.name,
    username: u.username,
    avatar_template: avatarTemplate(u),
    created_at: iso(p.createdAt),
    cooked: p.cooked,
    post_number: p.postNumber,
    post_type: p.postType,
    updated_at: iso(p.updatedAt),
    reply_count: 0,
    reply_to_post_number: null,
    quote_count: 0,
    incoming_link_count: 0,
    reads: 1,
    readers_count: 0,
    score: 0,
    yours: viewer?.id === u.id,
    topic_id: t.id,
    topic_slug: t.slug,
    display_username: u.name,
    primary_group_name: null,
    flair_name: null,
    flair_url: null,
    flair_bg_color: null,
    flair_color: null,
    flair_group_id: null,
    version: p.version,
    can_edit: staff || viewer?.id === u.id,
    can_delete: staff,
    can_recover: staff,
    can_see_hidden_post: staff,
    can_wiki: staff,
    user_title: null,
    bookmarked: false,
    actions_summary: [],
    moderator: u.moderator,
    admin: u.admin,
    staff: isStaff(u),
    user_id: u.id,
    hidden: false,
    trust_level: u.trustLevel,
    deleted_at: p.deletedAt === null ? null : iso(p.deletedAt),
    user_deleted: false,
    edit_reason: p.editReason,
    can_view_edit_history: true,
    wiki: false,
  };
  if (p.actionCode !== null) out["action_code"] = p.actionCode;
  return out;
}

/** POST /posts.json, GET /posts/:id.json and PUT /posts/:id.json: standalone post with raw. */
export function standalonePost(store: Store, t: Topic, p: Post, viewer: User | null): Json {
  return {
    ...basePost(store, t, p, viewer),
    posts_count: t.posts.length,
    raw: p.raw,
    draft_sequence: 0,
    reviewable_id: null,
    reviewable_score_count: 0,
    reviewable_score_pending_count: 0,
    post_url: postUrl(t, p),
    mentioned_users: [],
  };
}

/** A post inside a topic view's post_stream. */
export function streamPost(store: Store, t: Topic, p: Post, viewer: User | null, includeRaw: boolean): Json {
  const out: Json = {
    ...basePost(store, t, p, viewer),
    link_counts: [],
    read: true,
    reviewable_id: 0,
    reviewable_score_count: 0,
    reviewable_score_pending_count: 0,
  };
  delete out["flair_group_id"];
  if (includeRaw) out["raw"] = p.raw;
  return out;
}

export function visiblePosts(t: Topic, viewer: User | null): Post[] {
  const staff = viewer ? isStaff(viewer) : false;
  return t.posts.filter((p) => staff || p.deletedAt === null);
}

export function topicView(store: Store, t: Topic, viewer: User | null, includeRaw: boolean, page = 1): Json {
  const staff = viewer ? isStaff(viewer) : false;
  const posts = visiblePosts(t, viewer);
  const creator = store.userById(t.userId) ?? (store.userById(1) as User);
  const last = posts[posts.length - 1];
  const lastPoster = (last && store.userById(last.userId)) || creator;
  const participants = [...new Set(posts.map((p) => p.userId))].flatMap((id) => {
    const u = store.userById(id);
    if (!u) return [];
    return [
      {
        ...basicUser(u),
        post_count: posts.filter((p) => p.userId === id).length,
        primary_group_name: null,
        flair_name: null,
        flair_url: null,
        flair_color: null,
        flair_bg_color: null,
        flair_group_id: null,
        admin: u.admin,
        moderator: u.moderator,
        trust_level: u.trustLevel,
      },
    ];
  });
  const regular = posts.filter((p) => p.postType === 1);
  return {
    post_stream: {
      posts: posts
        .slice((Math.max(page, 1) - 1) * 20, Math.max(page, 1) * 20)
        .map((p) => streamPost(store, t, p, viewer, includeRaw)),
      stream: posts.map((p) => p.id),
    },
    timeline_lookup: [],
    suggested_topics: [],
    tags: tagObjects(store, t),
    tags_descriptions: {},
    id: t.id,
    title: t.title,
    fancy_title: t.fancyTitle,
    posts_count: posts.length,
    created_at: iso(t.createdAt),
    views: 1,
    reply_count: Math.max(0, regular.length - 1),
    like_count: 0,
    last_posted_at: iso(t.lastPostedAt),
    visible: t.visible,
    closed: t.closed,
    archived: t.archived,
    has_summary: false,
    archetype: "regular",
    slug: t.slug,
    category_id: t.categoryId,
    word_count: regular.reduce((n, p) => n + p.raw.split(/\s+/).filter(Boolean).length, 0),
    deleted_at: t.deletedAt === null ? null : iso(t.deletedAt),
    user_id: t.userId,
    featured_link: null,
    pinned_globally: false,
    pinned_at: t.pinnedAt === null ? null : iso(t.pinnedAt),
    pinned_until: null,
    image_url: null,
    slow_mode_seconds: 0,
    draft: null,
    draft_key: `topic_${t.id}`,
    draft_sequence: 0,
    unpinned: null,
    pinned: t.pinnedAt !== null,
    current_post_number: 1,
    highest_post_number: t.posts.length,
    deleted_by: null,
    has_deleted: t.posts.some((p) => p.deletedAt !== null),
    actions_summary: [],
    chunk_size: 20,
    bookmarked: false,
    bookmarks: [],
    topic_timer: null,
    message_bus_last_id: 0,
    participant_count: participants.length,
    show_read_indicator: false,
    thumbnails: null,
    slow_mode_enabled_until: null,
    details: {
      can_edit: staff,
      notification_level: 1,
      can_move_posts: staff,
      can_delete: staff,
      can_remove_allowed_users: staff,
      can_create_post: viewer !== null && (!t.closed || staff),
      can_reply_as_new_topic: viewer !== null,
      can_convert_topic: staff,
      can_review_topic: staff,
      can_close_topic: staff,
      can_archive_topic: staff,
      can_split_merge_topic: staff,
      can_edit_staff_notes: staff,
      can_toggle_topic_visibility: staff,
      can_pin_unpin_topic: staff,
      can_moderate_category: staff,
      can_remove_self_id: viewer?.id ?? 0,
      participants,
      created_by: basicUser(creator),
      last_poster: basicUser(lastPoster),
    },
  };
}

export function excerpt(p: Post | undefined): string {
  if (!p) return "";
  const text = p.cooked
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > 220 ? `${text.slice(0, 220)}&hellip;` : text;
}

export function topicListItem(store: Store, t: Topic, viewer: User | null, withExcerpt: boolean): Json {
  const posts = visiblePosts(t, viewer);
  const last = posts[posts.length - 1];
  const lastPoster = (last && store.userById(last.userId)) || store.userById(t.userId);
  // bookmarked/liked come from the viewer's topic_user row: null when they never took part.
  const userFlag = viewer !== null && posts.some((p) => p.userId === viewer.id) ? false : null;
  const out: Json = {
    id: t.id,
    title: t.title,
    fancy_title: t.fancyTitle,
    slug: t.slug,
    posts_count: posts.length,
    reply_count: Math.max(0, posts.filter((p) => p.postType === 1).length - 1),
    highest_post_number: t.posts.length,
    image_url: null,
    created_at: iso(t.createdAt),
    last_posted_at: iso(t.lastPostedAt),
    bumped: t.bumpedAt > t.createdAt,
    bumped_at: iso(t.bumpedAt),
    archetype: "regular",
    unseen: false,
    pinned: t.pinnedAt !== null,
    unpinned: null,
    visible: t.visible,
    closed: t.closed,
    archived: t.archived,
    bookmarked: userFlag,
    liked: userFlag,
    tags: tagObjects(store, t),
    tags_descriptions: {},
    views: 1,
    like_count: 0,
    has_summary: false,
    last_poster_username: lastPoster?.username ?? "system",
    category_id: t.categoryId,
    pinned_globally: false,
    featured_link: null,
    posters: [
      {
        extras: "latest single",
        description: "Original Poster, Most Recent Poster",
        user_id: t.userId,
        primary_group_id: null,
      },
    ],
  };
  if (withExcerpt) out["excerpt"] = excerpt(t.posts[0]);
  return out;
}

export const basicTopic = (t: Topic): Json => ({
  id: t.id,
  title: t.title,
  fancy_title: t.fancyTitle,
  slug: t.slug,
  posts_count: t.posts.length,
});

/** Canonical category URL: the parent's slug comes first for a subcategory. */
export function categoryPath(store: Store, c: Category): string {
  const parent = c.parentId === null ? undefined : store.category(c.parentId);
  return `/c/${parent ? `${parent.slug}/` : ""}${c.slug}/${c.id}`;
}
