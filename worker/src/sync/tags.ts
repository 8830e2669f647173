/**
 * Tag names as Discourse stores them (DiscourseTagging.clean_tag with default settings), so the tags
 * sent on create are the ones the topic ends up with.
 */
export const MAX_TAGS_PER_TOPIC = 5;
export const MAX_TAG_LENGTH = 20;

export function normalizeTag(name: string, maxLength = MAX_TAG_LENGTH): string {
  const t = name
    .toLowerCase()
    .trim()
    .replace(/\s+/g, "-")
    .replace(/[^\p{L}\p{N}\p{M}\p{P}_-]/gu, "")
    .replace(/[/?#[\]@!$&'()*+,;=.%\\`^|{}"<>]+/g, "")
    .replace(/-+/g, "-");
  return [...t].slice(0, maxLength).join("");
}

/** Normalised, de-duplicated, empty ones dropped, at most `max` (the first ones win). */
export function normalizeTags(names: readonly string[], max = MAX_TAGS_PER_TOPIC): string[] {
  const out: string[] = [];
  for (const name of names) {
    const tag = normalizeTag(name);
    if (tag && !out.includes(tag)) out.push(tag);
    if (out.length === max) break;
  }
  return out;
}
