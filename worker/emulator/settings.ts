/** Site settings the emulator honours, with Discourse's defaults (config/site_settings.yml). */
export interface SiteSettings {
  min_topic_title_length: number;
  max_topic_title_length: number;
  title_min_entropy: number;
  title_max_word_length: number;
  title_prettify: boolean;
  allow_uppercase_posts: boolean;
  allow_duplicate_topic_titles: boolean;
  allow_duplicate_topic_titles_category: boolean;
  allow_uncategorized_topics: boolean;
  min_first_post_length: number;
  min_post_length: number;
  max_post_length: number;
  body_min_entropy: number;
  max_tags_per_topic: number;
  max_tag_length: number;
  force_lowercase_tags: boolean;
  tagging_enabled: boolean;
  /** Trust level needed to create a tag; staff always can. */
  min_trust_to_create_tag: number;
  rate_limit_create_topic: number;
  rate_limit_new_user_create_topic: number;
  max_topics_per_day: number;
  unique_posts_mins: number;
  editing_grace_period: number;
  min_search_term_length: number;
  search_page_size: number;
  /** Per-IP middleware limits; loopback is exempt unless max_reqs_rate_limit_on_private. */
  max_reqs_per_ip_per_minute: number;
  max_reqs_per_ip_per_10_seconds: number;
  max_reqs_rate_limit_on_private: boolean;
  /** Groups (by name) allowed to create [event]s besides staff. */
  discourse_post_event_allowed_on_groups: string[];
}

export function defaultSiteSettings(): SiteSettings {
  return {
    min_topic_title_length: 15,
    max_topic_title_length: 255,
    title_min_entropy: 10,
    title_max_word_length: 30,
    title_prettify: true,
    allow_uppercase_posts: false,
    allow_duplicate_topic_titles: false,
    allow_duplicate_topic_titles_category: false,
    allow_uncategorized_topics: false,
    min_first_post_length: 20,
    min_post_length: 20,
    max_post_length: 32000,
    body_min_entropy: 7,
    max_tags_per_topic: 5,
    max_tag_length: 20,
    force_lowercase_tags: true,
    tagging_enabled: true,
    min_trust_to_create_tag: 3,
    rate_limit_create_topic: 15,
    rate_limit_new_user_create_topic: 120,
    max_topics_per_day: 20,
    unique_posts_mins: 5,
    editing_grace_period: 300,
    min_search_term_length: 3,
    search_page_size: 50,
    max_reqs_per_ip_per_minute: 200,
    max_reqs_per_ip_per_10_seconds: 50,
    max_reqs_rate_limit_on_private: false,
    discourse_post_event_allowed_on_groups: [],
  };
}
