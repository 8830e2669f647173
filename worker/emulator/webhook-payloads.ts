/** Webhook bodies: WebHookTopicViewSerializer-like topic fields and WebHookPostSerializer. */
import type { Post, Topic, User } from "./model.ts";
import { iso } from "./model.ts";
import type { Json } from "./serialize.ts";
import { basicUser, standalonePost, tagObjects } from "./serialize.ts";
import type { Store } from "./state.ts";

export function webhookTopic(store: Store, t: Topic): Json {
  const creator = store.userById(t.userId) as User;
  const last = t.posts[t.posts.length - 1];
  const lastPoster = (last && store.userById(last.userId)) || creator;
  return {
    id: t.id,
    title: t.title,
    fancy_title: t.fancyTitle,
    slug: t.slug,
    posts_count: t.posts.length,
    created_at: iso(t.createdAt),
    last_posted_at: iso(t.lastPostedAt),
    bumped_at: iso(t.bumpedAt),
    visible: t.visible,
    closed: t.closed,
    archived: t.archived,
    archetype: "regular",
    category_id: t.categoryId,
    external_id: t.externalId,
    deleted_at: t.deletedAt === null ? null : iso(t.deletedAt),
    user_id: t.userId,
    tags: tagObjects(store, t),
    tags_descriptions: {},
    created_by: basicUser(creator),
    last_poster: basicUser(lastPoster),
  };
}

export function webhookPost(store: Store, t: Topic, p: Post): Json {
  const base = standalonePost(store, t, p, null);
  for (const k of [
    "yours",
    "can_edit",
    "can_delete",
    "can_recover",
    "can_wiki",
    "can_see_hidden_post",
    "can_view_edit_history",
  ])
    delete base[k];
  const category = store.category(t.categoryId);
  return {
    ...base,
    topic_title: t.title,
    topic_archetype: "regular",
    category_id: t.categoryId,
    category_slug: category?.slug ?? null,
    topic_posts_count: t.posts.length,
    topic_filtered_posts_count: t.posts.filter((x) => x.deletedAt === null).length,
    tags: tagObjects(store, t).map((x) => x["name"]),
  };
}
