import type { Category, Post, PostEvent, Tag, Topic, User } from "./model.ts";
import { fancyTitle, slugify } from "./text.ts";

/** A cooking function, injected so the store stays free of markdown concerns. */
export type Cook = (raw: string) => string;

const SEED_TIME = Date.parse("2024-01-01T00:00:00Z");

const SEED_USERS: User[] = [
  {
    id: 1,
    username: "system",
    name: "system",
    admin: true,
    moderator: true,
    trustLevel: 4,
    groups: ["staff", "admins"],
  },
  {
    id: 2,
    username: "mod",
    name: "Mod",
    admin: false,
    moderator: true,
    trustLevel: 2,
    groups: ["staff", "moderators"],
  },
  {
    id: 3,
    username: "alice",
    name: "Alice",
    admin: false,
    moderator: false,
    trustLevel: 1,
    groups: ["trust_level_1"],
  },
];

const SEED_CATEGORIES: Array<Omit<Category, "topicId">> = [
  {
    id: 1,
    name: "Uncategorized",
    slug: "uncategorized",
    parentId: null,
    readRestricted: false,
    color: "0088CC",
  },
  { id: 2, name: "Staff", slug: "staff", parentId: null, readRestricted: true, color: "E45735" },
  { id: 3, name: "Events", slug: "events", parentId: null, readRestricted: false, color: "3AB54A" },
  { id: 4, name: "Meetups", slug: "meetups", parentId: 3, readRestricted: false, color: "12A89D" },
  { id: 5, name: "General", slug: "general", parentId: null, readRestricted: false, color: "25AAE2" },
];

const DEFINITION_RAW =
  "(Replace this first paragraph with a brief description of your new category. This guidance will appear in the category selection area, so try to keep it below 200 characters.)\n\n" +
  "Use the following paragraphs for a longer description, or to establish category guidelines or rules.";

/** All mutable site data plus id sequences; `seed()` restores the start state. */
export class Store {
  users: User[] = [];
  categories: Category[] = [];
  tags: Tag[] = [];
  topics: Topic[] = [];
  events = new Map<number, PostEvent>();
  private readonly topicsById = new Map<number, Topic>();
  private readonly postsById = new Map<number, { topic: Topic; post: Post }>();
  private nextTopicId = 1;
  private nextPostId = 1;
  private nextTagId = 1;
  private readonly cook: Cook;

  constructor(cook: Cook) {
    this.cook = cook;
    this.seed();
  }

  seed(): void {
    this.users = SEED_USERS.map((u) => ({ ...u, groups: [...u.groups] }));
    this.tags = [];
    this.topics = [];
    this.topicsById.clear();
    this.postsById.clear();
    this.events.clear();
    this.nextTopicId = 1;
    this.nextPostId = 1;
    this.nextTagId = 1;
    this.categories = [];
    for (const c of SEED_CATEGORIES) {
      const cat: Category = { ...c, topicId: 0 };
      this.categories.push(cat);
      const t = this.addTopic({
        title: `About the ${c.name} category`,
        raw: DEFINITION_RAW,
        categoryId: c.id,
        userId: 1,
        at: SEED_TIME,
        tagIds: [],
        externalId: null,
      });
      t.pinnedAt = SEED_TIME;
      cat.topicId = t.id;
    }
  }

  userByName(name: string): User | undefined {
    const n = name.toLowerCase();
    return this.users.find((u) => u.username.toLowerCase() === n);
  }

  userById(id: number): User | undefined {
    return this.users.find((u) => u.id === id);
  }

  category(id: number): Category | undefined {
    return this.categories.find((c) => c.id === id);
  }

  topic(id: number): Topic | undefined {
    return this.topicsById.get(id);
  }

  post(id: number): { topic: Topic; post: Post } | undefined {
    return this.postsById.get(id);
  }

  tagByName(name: string): Tag | undefined {
    const n = name.toLowerCase();
    return this.tags.find((t) => t.name.toLowerCase() === n);
  }

  tag(id: number): Tag | undefined {
    return this.tags.find((t) => t.id === id);
  }

  createTag(name: string): Tag {
    const tag = { id: this.nextTagId++, name };
    this.tags.push(tag);
    return tag;
  }

  tagNames(t: Topic): string[] {
    return t.tagIds.map((id) => this.tag(id)?.name ?? "").filter((n) => n !== "");
  }

  /** Category ids of `id` and its subcategories. */
  withSubcategories(id: number): number[] {
    return [id, ...this.categories.filter((c) => c.parentId === id).map((c) => c.id)];
  }

  addTopic(p: {
    title: string;
    raw: string;
    categoryId: number;
    userId: number;
    at: number;
    tagIds: number[];
    externalId: string | null;
  }): Topic {
    const topic: Topic = {
      id: this.nextTopicId++,
      title: p.title,
      fancyTitle: fancyTitle(p.title),
      slug: slugify(p.title),
      categoryId: p.categoryId,
      externalId: p.externalId,
      tagIds: p.tagIds,
      closed: false,
      archived: false,
      visible: true,
      pinnedAt: null,
      deletedAt: null,
      bumpedAt: p.at,
      createdAt: p.at,
      lastPostedAt: p.at,
      userId: p.userId,
      posts: [],
    };
    this.topics.push(topic);
    this.topicsById.set(topic.id, topic);
    this.addPost(topic, { raw: p.raw, userId: p.userId, at: p.at, postType: 1, actionCode: null });
    return topic;
  }

  addPost(
    topic: Topic,
    p: { raw: string; userId: number; at: number; postType: number; actionCode: string | null },
  ): Post {
    const post: Post = {
      id: this.nextPostId++,
      topicId: topic.id,
      postNumber: topic.posts.length + 1,
      postType: p.postType,
      actionCode: p.actionCode,
      raw: p.raw,
      cooked: p.postType === 1 ? this.cook(p.raw) : "",
      version: 1,
      userId: p.userId,
      createdAt: p.at,
      updatedAt: p.at,
      lastVersionAt: p.at,
      lastVersionRaw: p.raw,
      lastEditorId: p.userId,
      editReason: null,
      deletedAt: null,
    };
    topic.posts.push(post);
    this.postsById.set(post.id, { topic, post });
    return post;
  }

  setTitle(topic: Topic, title: string): void {
    topic.title = title;
    topic.fancyTitle = fancyTitle(title);
    topic.slug = slugify(title);
  }
}
