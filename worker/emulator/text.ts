/** Text rules Discourse applies to titles, raw bodies, slugs and tag names (TextCleaner, Slug, DiscourseTagging). */

const UNUSUAL_SPACES = /[\u00A0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/g;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;

/** TextCleaner.normalize_whitespaces + rstrip + NUL removal, as done to raw before storing. */
export function normalizeRaw(raw: string): string {
  return raw.replaceAll("\0", "").replace(UNUSUAL_SPACES, " ").replace(/\s+$/u, "");
}

/** TextCleaner.clean_title: always strips zero-width chars and outer space; the rest only with title_prettify. */
export function cleanTitle(title: string, prettify: boolean): string {
  let t = title.replace(ZERO_WIDTH, "").replace(UNUSUAL_SPACES, " ");
  if (prettify) {
    t = t.replace(/!+/g, "!").replace(/\?+/g, "?");
    if (/\p{L}/u.test(t) && t.toUpperCase() === t) t = t.toLowerCase();
    t = t.replace(/^(\s*)(\p{Ll})/u, (_m, sp: string, c: string) => sp + c.toUpperCase());
    // a single trailing period goes; an ellipsis stays
    t = t.replace(/([^.])\.(\s*)$/u, "$1$2");
    t = t.replace(/\s+([!?]\s*)$/u, "$1").replace(/ {2,}/g, " ");
  }
  return t.trim();
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Topic.fancy_title: HTML-escaped, with typographic quotes, dashes and ellipses. */
export function fancyTitle(title: string): string {
  let t = title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  t = t
    .replace(/\.\.\./g, "&hellip;")
    .replace(/---/g, "&mdash;")
    .replace(/--/g, "&ndash;");
  t = t.replace(/(^|[\s(])"/g, "$1&ldquo;").replace(/"/g, "&rdquo;");
  t = t.replace(/(^|[\s(])'/g, "$1&lsquo;").replace(/'/g, "&rsquo;");
  return t;
}

/** Slug.for with the ascii generator; "topic" when nothing is left. */
export function slugify(title: string): string {
  const s = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/'/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100)
    .replace(/-+$/g, "");
  return s === "" ? "topic" : s;
}

/** DiscourseTagging.clean_tag. */
export function cleanTag(name: string, maxLength: number, lowercase: boolean): string {
  let t = lowercase ? name.toLowerCase() : name;
  t = t
    .trim()
    .replace(/\s+/g, "-")
    .replace(/[^\p{L}\p{N}\p{M}\p{P}_-]/gu, "")
    .replace(/[/?#[\]@!$&'()*+,;=.%\\`^|{}"<>]+/g, "")
    .replace(/-+/g, "-");
  return [...t].slice(0, maxLength).join("");
}

/** TextSentinel#entropy: the number of distinct bytes of the stripped text. */
export function entropy(text: string): number {
  return new Set(Buffer.from(text.trim(), "utf8")).size;
}

/**
 * StrippedLengthValidator.get_sanitized_value: single-line HTML comments removed, :emoji: as one
 * character, runs of dots as an ellipsis, runs of commas as one, then stripped.
 */
export function strippedLength(raw: string): number {
  const t = raw
    .replace(/<!--(.*?)-->/g, "")
    .replace(/:\w+(:\w+)?:/g, "X")
    .replace(/\.{2,}/g, "…")
    .replace(/,{2,}/g, ",")
    .trim();
  return [...t].length;
}
