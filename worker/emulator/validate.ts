/** Topic and post validations with Discourse's full messages (Topic, PostValidator, TextSentinel). */
import type { SiteSettings } from "./settings.ts";
import { entropy, strippedLength } from "./text.ts";

const ENTROPY_SCALE = 0.7;

interface Sentinel {
  minEntropy: number;
  maxWordLength: number | null;
}

function meaningful(text: string, s: Sentinel): boolean {
  return entropy(text) >= s.minEntropy;
}
function pronounceable(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
function unpretentious(text: string, s: Sentinel): boolean {
  return s.maxWordLength === null || !new RegExp(`[\\p{L}\\p{N}]{${s.maxWordLength + 1},}`, "u").test(text);
}
function quiet(text: string, settings: SiteSettings): boolean {
  return settings.allow_uppercase_posts || /\p{Ll}|\p{Lo}/u.test(text) || !/\p{L}/u.test(text);
}

function titleSentinel(s: SiteSettings): Sentinel {
  const minEntropy =
    s.min_topic_title_length > s.title_min_entropy
      ? s.title_min_entropy
      : Math.floor(s.min_topic_title_length * ENTROPY_SCALE);
  return { minEntropy, maxWordLength: s.title_max_word_length };
}

function bodySentinel(s: SiteSettings): Sentinel {
  const minEntropy =
    s.body_min_entropy > s.min_post_length
      ? Math.floor(s.min_post_length * ENTROPY_SCALE)
      : s.body_min_entropy;
  return { minEntropy, maxWordLength: null };
}

/**
 * Title rules. `isAdmin`: TopicTitleLengthValidator lets admins use 1..max (seen in the older
 * validator; assumed unchanged). Quality rules apply to everyone.
 */
export function titleErrors(title: string, s: SiteSettings, isAdmin: boolean): string[] {
  const errors: string[] = [];
  const blank = title.trim() === "";
  if (blank) errors.push("Title can't be blank");
  const len = [...title].length;
  const min = isAdmin ? 1 : s.min_topic_title_length;
  // the length validator has allow_blank
  if (!blank && len < min) errors.push(`Title is too short (minimum is ${min} characters)`);
  else if (len > s.max_topic_title_length)
    errors.push(`Title is too long (maximum is ${s.max_topic_title_length} characters)`);
  const sentinel = titleSentinel(s);
  const valid =
    !blank &&
    meaningful(title, sentinel) &&
    pronounceable(title) &&
    unpretentious(title, sentinel) &&
    quiet(title, s);
  if (!valid) {
    if (!meaningful(title, sentinel))
      errors.push("Title seems unclear, most of the words contain the same letters over and over?");
    else if (!unpretentious(title, sentinel))
      errors.push("Title seems unclear, one or more words is very long?");
    else if (!quiet(title, s)) errors.push("Title seems unclear, did you mean to enter it in ALL CAPS?");
    else errors.push("Title seems unclear, is it a complete sentence?");
  }
  return errors;
}

export const DUPLICATE_TITLE = "Title has already been used";

/** Topic's external_id validations in declaration order: uniqueness, length, format. */
export function externalIdErrors(externalId: string | null, taken: boolean): string[] {
  if (externalId === null) return [];
  const errors: string[] = [];
  if (taken) errors.push("External has already been taken");
  if (externalId.length > 50) errors.push("External is too long (maximum is 50 characters)");
  if (!/^[A-Za-z0-9_-]+$/.test(externalId)) errors.push("External is invalid");
  return errors;
}

/**
 * PostValidator#post_body_validator for a post: StrippedLengthValidator (blank, else too long on the
 * raw length, else too short on the sanitized length), then the body sentinel.
 */
export function bodyErrors(raw: string, s: SiteSettings, firstPost: boolean): string[] {
  const errors: string[] = [];
  const min = firstPost ? s.min_first_post_length : s.min_post_length;
  const length = [...raw].length;
  if (raw.trim() === "") errors.push("Body can't be blank");
  else if (length > s.max_post_length)
    errors.push(`Body is limited to ${s.max_post_length} characters; you entered ${length}.`);
  else if (strippedLength(raw) < min) errors.push(`Body is too short (minimum is ${min} characters)`);
  const sentinel = bodySentinel(s);
  if (!(raw.trim() !== "" && meaningful(raw, sentinel) && pronounceable(raw) && quiet(raw, s)))
    errors.push("Body seems unclear, is it a complete sentence?");
  return errors;
}

export const TOO_SIMILAR = "Body is too similar to what you recently posted";
// Exact wording of tags.too_many_tags_for_topic is not confirmed; the count is what clients rely on.
export const tooManyTags = (max: number): string => `You can only apply up to ${max} tags to a topic.`;
