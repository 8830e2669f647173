/**
 * Feed text is untrusted. These functions turn it into text that Discourse shows literally: no
 * markdown, BBCode, HTML, mentions, emoji shortcodes or oneboxes can come out of it.
 */

// Whitespace Discourse's TextCleaner.normalize_whitespaces turns into plain spaces.
// eslint-disable-next-line no-control-regex
const ODD_SPACES = /[\u0009\u000b\u000c\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/g;
// C0/C1 controls except newline, and bidi overrides that could make text read differently.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const ZWSP = "\u200b";

/** One line of plain text: controls removed, all whitespace runs collapsed to one space, trimmed. */
export function plainLine(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(ODD_SPACES, " ")
    .replace(CONTROLS, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Multi-line plain text: lines trimmed, runs of blank lines collapsed to one. */
export function plainText(text: string): string {
  const lines = text
    .replace(/\r\n?/g, "\n")
    .replace(ODD_SPACES, " ")
    .replace(CONTROLS, "")
    .split("\n")
    .map((l) => l.replace(/ {2,}/g, " ").trim());
  return lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|~>:<&"$%^=/]/g;

/**
 * Escapes one line of text for use inside Discourse markdown. Every markdown punctuation character
 * is backslash-escaped (markdown-it then emits it as a literal, which also stops links, autolinks and
 * bare URLs that would be oneboxed); "<" and "&" become entities so no HTML survives; "@" and "["
 * get a zero-width space after them so no mention, group ping or BBCode tag can form even in
 * renderers that run after escapes are resolved.
 */
export function escapeMarkdownLine(text: string): string {
  return plainLine(text)
    .replace(MARKDOWN_PUNCTUATION, (c) => {
      if (c === "<") return "&lt;";
      if (c === ">") return "&gt;";
      if (c === "&") return "&amp;";
      if (c === "[") return "\\[" + ZWSP;
      return "\\" + c;
    })
    .replace(/@/g, "@" + ZWSP);
}

/** Escapes multi-line text; each line is escaped on its own and kept as a separate line. */
export function escapeMarkdownBlock(text: string): string {
  return plainText(text)
    .split("\n")
    .map((l) => escapeMarkdownLine(l))
    .join("\n");
}

/**
 * Escapes a value for an HTML attribute in double quotes. Brackets and "@" are encoded too so the raw
 * post holds no BBCode or mention-like text even inside attributes.
 */
export function escapeHtmlAttribute(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/\[/g, "&#91;")
    .replace(/\]/g, "&#93;")
    .replace(/@/g, "&#64;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/**
 * A value for a quoted BBCode attribute ([event name="…"]). BBCode has no escape, so characters that
 * would end the value or the tag are replaced by look-alikes.
 */
export function bbcodeAttributeValue(text: string): string {
  return plainLine(text)
    .replace(/"/g, "\u201d")
    .replace(/\[/g, "(")
    .replace(/\]/g, ")")
    .replace(/</g, "\u2039")
    .replace(/>/g, "\u203a")
    .replace(/\\/g, "/")
    .replace(/@/g, "@\u200b");
}

/** Cuts text to at most `max` characters on a word boundary when possible, adding an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1));
  const space = cut.lastIndexOf(" ");
  return (space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd() + "\u2026";
}

/** Encodes a URL so it can sit inside <…> in markdown without ending it early. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return undefined;
  if (parsed.username || parsed.password) return undefined;
  return parsed.href.replace(
    /[<>"'\s()[\]\\`]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"),
  );
}
