/** The emulated site's records. Times are epoch milliseconds. */

export interface User {
  id: number;
  username: string;
  name: string;
  admin: boolean;
  moderator: boolean;
  trustLevel: number;
  groups: string[];
}

export interface Category {
  id: number;
  name: string;
  slug: string;
  parentId: number | null;
  readRestricted: boolean;
  topicId: number;
  color: string;
}

export interface Tag {
  id: number;
  name: string;
}

export interface Post {
  id: number;
  topicId: number;
  postNumber: number;
  /** 1 regular, 3 small action */
  postType: number;
  actionCode: string | null;
  raw: string;
  cooked: string;
  version: number;
  userId: number;
  createdAt: number;
  updatedAt: number;
  /** When the current version was created (the grace period counts from here). */
  lastVersionAt: number;
  /** Raw as it was when the current version began (PostRevisor's cached original_raw). */
  lastVersionRaw: string;
  lastEditorId: number;
  editReason: string | null;
  deletedAt: number | null;
}

export interface Topic {
  id: number;
  title: string;
  fancyTitle: string;
  slug: string;
  categoryId: number;
  externalId: string | null;
  tagIds: number[];
  closed: boolean;
  archived: boolean;
  visible: boolean;
  pinnedAt: number | null;
  deletedAt: number | null;
  bumpedAt: number;
  createdAt: number;
  lastPostedAt: number;
  userId: number;
  posts: Post[];
}

/** discourse-post-event record; id equals the first post's id. */
export interface PostEvent {
  id: number;
  topicId: number;
  name: string | null;
  startsAt: number;
  endsAt: number | null;
  timezone: string | null;
  allDay: boolean;
  showLocalTime: boolean;
  status: string;
  url: string | null;
  location: string | null;
  recurrence: string | null;
  recurrenceUntil: number | null;
  description: string | null;
  attributes: Record<string, string>;
}

export function isStaff(u: User): boolean {
  return u.admin || u.moderator;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
