/**
 * Text fields made safe to carry forward: plain text only (HTML converted, control characters removed),
 * http(s) URLs only, organizer display names without e-mail addresses.
 */
import { createRequire } from "node:module";
import type * as HtmlToText from "html-to-text";
import type { GeoPoint } from "../core/event.ts";

// html-to-text and its parser weigh about 15 MB once loaded; most feeds have no HTML at all, so it is
// loaded on the first HTML description only (synchronously: parsing stays a plain function).
let htmlToPlain: ((html: string) => string) | undefined;

function converter(): (html: string) => string {
  if (!htmlToPlain) {
    const { compile } = createRequire(import.meta.url)("html-to-text") as typeof HtmlToText;
    htmlToPlain = compile({
      wordwrap: false,
      selectors: [
        { selector: "a", options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
        { selector: "img", format: "skip" },
        { selector: "h1", options: { uppercase: false } },
        { selector: "h2", options: { uppercase: false } },
        { selector: "h3", options: { uppercase: false } },
        { selector: "table", format: "dataTable" },
      ],
    });
  }
  return htmlToPlain;
}

const HTML_TAG =
  /<\/?(?:a|b|i|u|p|br|div|span|ul|ol|li|strong|em|h[1-6]|table|tr|td|th|font|html|body|head|meta|title|style|script|img|hr|blockquote|pre|code)\b[^>]*>/i;

export function looksLikeHtml(s: string): boolean {
  return HTML_TAG.test(s);
}

/** Removes control characters (keeps newlines and tabs), unifies line ends, trims blank runs. */
export function cleanText(s: string): string {
  return (
    s
      .replace(/\r\n?/g, "\n")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, "")
      .replace(/[ \t]+\n/g, "\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim()
  );
}

/** A one-line text (summary, location). */
export function cleanLine(s: string): string {
  return cleanText(s).replace(/\s*\n\s*/g, " ");
}

export function htmlToText(html: string): string {
  return cleanText(converter()(html));
}

/** DESCRIPTION as plain text; X-ALT-DESC (HTML) is used when DESCRIPTION is empty. */
export function plainDescription(description: string | undefined, altDescHtml: string | undefined): string {
  const d = description ?? "";
  if (d.trim()) return looksLikeHtml(d) ? htmlToText(d) : cleanText(d);
  if (altDescHtml?.trim()) return htmlToText(altDescHtml);
  return "";
}

/** http(s) URLs only; anything else (relative paths, javascript:, mailto:) is dropped. */
export function safeUrl(s: string | undefined): string | undefined {
  if (!s) return undefined;
  try {
    const u = new URL(s.trim());
    if (u.protocol !== "http:" && u.protocol !== "https:") return undefined;
    return u.href;
  } catch {
    return undefined;
  }
}

const EMAIL = /(?:mailto:)?[^\s<>()"',;:]+@[^\s<>()"',;:]+\.[^\s<>()"',;:]+/gi;

/** The CN of an ORGANIZER, with any e-mail address removed; undefined when nothing is left. */
export function organizerName(cn: string | undefined): string | undefined {
  if (!cn) return undefined;
  const name = cleanLine(cn.replace(/^"(.*)"$/, "$1").replace(EMAIL, ""))
    .replace(/[<>()[\]]/g, "")
    .trim();
  return name || undefined;
}

/** GEO "lat;lon"; values written the wrong way round are swapped back when that is the only valid reading. */
export function parseGeo(value: string | undefined): GeoPoint | undefined {
  if (!value) return undefined;
  const [a, b] = value.split(/[;,]/).map((s) => Number(s.trim()));
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) return undefined;
  if (Math.abs(a) <= 90 && Math.abs(b) <= 180) return { lat: a, lon: b };
  if (Math.abs(b) <= 90 && Math.abs(a) <= 180) return { lat: b, lon: a };
  return undefined;
}
