/**
 * The parts of Discourse's answers the worker relies on, checked at the boundary. Unknown fields are
 * ignored; tags are accepted both as names (older releases) and as {id, name, slug} objects.
 */
import { z } from "zod";

const tag = z.union([z.string(), z.object({ name: z.string() }).transform((t) => t.name)]);

export const errorBody = z.object({
  errors: z.array(z.string()).optional(),
  error_type: z.string().optional(),
  extras: z.object({ wait_seconds: z.number().optional() }).passthrough().nullish(),
});

export const createdPost = z.union([
  z.object({ id: z.number(), topic_id: z.number(), post_number: z.number().optional() }),
  z.object({ action: z.literal("enqueued") }).passthrough(),
]);

export const post = z.object({
  id: z.number(),
  topic_id: z.number(),
  post_number: z.number(),
  raw: z.string(),
});
export const updatedPost = z.object({ post: z.object({ id: z.number(), version: z.number().optional() }) });

export const topicView = z.object({
  id: z.number(),
  title: z.string(),
  category_id: z.number().nullish(),
  closed: z.boolean().optional(),
  archived: z.boolean().optional(),
  visible: z.boolean().optional(),
  deleted_at: z.string().nullish(),
  tags: z.array(tag).optional(),
  post_stream: z.object({
    posts: z.array(
      z.object({
        id: z.number(),
        post_number: z.number(),
        raw: z.string().optional(),
        cooked: z.string().optional(),
      }),
    ),
  }),
});

export const topicList = z.object({
  topic_list: z.object({
    topics: z.array(
      z.object({
        id: z.number(),
        title: z.string(),
        tags: z.array(tag).optional(),
        pinned: z.boolean().optional(),
        bumped_at: z.string().nullish(),
        last_posted_at: z.string().nullish(),
        category_id: z.number().nullish(),
      }),
    ),
    more_topics_url: z.string().nullish(),
  }),
});

export type TopicView = z.infer<typeof topicView>;
export type TopicListItem = z.infer<typeof topicList>["topic_list"]["topics"][number];
