/** Text rules Discourse applies to titles, raw bodies, slugs and tag names (TextCleaner, Slug, DiscourseTagging). */

const UNUSUAL_SPACES = /[\u00A0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/g;

/** TextCleaner.normalize_whitespaces + rstrip + NUL removal, as done to raw before storing. */
export function normalizeRaw(raw: string): string {
  return raw.replaceAll("\0", "").replace(UNUSUAL_SPACES, " ").replace(/\s+$/u, "");
}

/** TextCleaner.clean_title with title_options; the prettifying steps only with title_prettify. */
export function cleanTitle(title: string, prettify: boolean, allowUppercase = false): string {
  let t = title;
  if (prettify) {
    t = t.replace(/!+/g, "!").replace(/\?+/g, "?");
    if (!allowUppercase && t === t.toUpperCase()) t = t.toLowerCase();
    // capitalised only when the whole first word is lowercase; Ruby's split(" ", 2) skips leading space
    const m = /^\s*(\S+)(?:\s+([\s\S]*))?$/.exec(t);
    const first = m?.[1];
    if (first !== undefined && first === first.toLowerCase()) {
      const rest = m?.[2];
      t = `${first.charAt(0).toUpperCase()}${first.slice(1)}${rest !== undefined ? ` ${rest}` : ""}`;
    }
    t = t.replace(/([^.])\.+(\s*)$/u, "$1$2");
    t = t.replace(/\s+([!?]\s*)$/u, "$1");
  }
  t = t.replace(/ +/g, " ").replace(UNUSUAL_SPACES, " ").trim();
  return t.replace(/\u200b/g, "");
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
    // [^[:word:][:punct:]] in Onigmo: ASCII symbols count as punctuation there
    .replace(/[^\p{L}\p{N}\p{M}\p{Pc}\p{P}$+<=>^`|~-]/gu, "")
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
