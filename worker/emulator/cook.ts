/**
 * Cooking: markdown-it (HTML allowed) then js-xss with an allow-list modelled on Discourse's
 * pretty-text allow-lister. Plus the two BBCodes an importer uses: [date] and, with the calendar
 * plugin, [event].
 */
import MarkdownIt from "markdown-it";
import { FilterXSS } from "xss";
import { EVENT_BLOCK, dasherize, parseBbcodeAttributes } from "./bbcode.ts";
import { escapeHtml } from "./text.ts";
import { localDateSpan } from "./local-dates.ts";

const ALLOWED_TAGS: Record<string, string[]> = {
  a: ["href", "name", "title", "target", "rel"],
  abbr: ["title"],
  aside: [],
  audio: ["controls", "preload", "src"],
  b: [],
  big: [],
  blockquote: [],
  br: [],
  code: [],
  dd: [],
  del: [],
  // the core details plugin allow-lists these
  details: ["open"],
  div: [],
  dl: [],
  dt: [],
  em: [],
  h1: ["id"],
  h2: ["id"],
  h3: ["id"],
  h4: ["id"],
  h5: ["id"],
  h6: ["id"],
  hr: [],
  i: [],
  iframe: ["width", "height", "frameborder", "allowfullscreen"],
  img: ["src", "alt", "title", "width", "height"],
  ins: [],
  kbd: [],
  li: ["value"],
  mark: [],
  ol: ["start", "reversed"],
  p: [],
  picture: [],
  pre: [],
  rp: [],
  rt: [],
  ruby: [],
  s: [],
  small: [],
  source: ["src", "srcset", "type", "media"],
  span: [],
  strike: [],
  strong: [],
  sub: [],
  summary: [],
  sup: [],
  table: [],
  tbody: [],
  td: [],
  tfoot: [],
  th: [],
  thead: [],
  tr: [],
  track: ["src", "label", "kind", "srclang", "default"],
  u: [],
  ul: [],
  video: ["controls", "poster", "preload", "width", "height", "src"],
};

/** `class` values allowed per tag (a subset of Discourse's list). */
const ALLOWED_CLASSES: Record<string, string[]> = {
  a: ["mention", "hashtag", "onebox", "attachment", "inline-onebox", "lightbox"],
  aside: ["quote", "onebox"],
  div: ["title", "quote-controls", "discourse-post-event", "md-table", "lightbox-wrapper", "spoiler"],
  img: ["emoji", "thumbnail", "avatar"],
  span: ["mention", "hashtag", "discourse-local-date"],
  code: ["lang-auto", "lang-plaintext", "lang-js", "lang-ruby", "lang-json", "lang-text"],
};

/** The local-dates plugin allow-lists these data attributes on its span. */
const LOCAL_DATE_DATA = new Set([
  "data-date",
  "data-time",
  "data-timezone",
  "data-timezones",
  "data-format",
  "data-email-preview",
  "data-countdown",
  "data-calendar",
  "data-displayed-timezone",
  "data-recurring",
  "data-range",
]);

const SAFE_HREF = /^(https?:\/\/|\/|#|mailto:|\.{0,2}\/|[^:/?#]*(?:[/?#]|$))/i;

const escapeAttrValue = (v: string): string =>
  v
    .replace(/&(?![a-z]+;|#\d+;)/gi, "&amp;")
    .replace(/"/g, "&quot;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");

const sanitizer = new FilterXSS({
  whiteList: ALLOWED_TAGS,
  allowCommentTag: false,
  stripIgnoreTag: true,
  stripIgnoreTagBody: ["script", "style"],
  css: false,
  onIgnoreTagAttr(tag, name, value) {
    if (name.startsWith("data-") && !name.includes("data-html-")) {
      const dataAllowed =
        tag === "div" ||
        tag === "aside" ||
        (tag === "span" && LOCAL_DATE_DATA.has(name)) ||
        name === "data-bbcode";
      return dataAllowed ? `${name}="${escapeAttrValue(value)}"` : "";
    }
    if (name === "class") {
      const allowed = ALLOWED_CLASSES[tag] ?? [];
      const kept = value.split(/\s+/).filter((c) => allowed.includes(c));
      return kept.length > 0 ? `class="${escapeAttrValue(kept.join(" "))}"` : "";
    }
    return "";
  },
  safeAttrValue(tag, name, value) {
    if (name === "href" || name === "src") {
      const v = value.trim();
      if (/^[a-z][a-z0-9+.-]*:/i.test(v) && !/^(https?|mailto):/i.test(v)) return "";
      if (!SAFE_HREF.test(v)) return "";
    }
    return escapeAttrValue(value);
  },
});

/** The plugin's block rule: a div with one data attribute per option, the description cooked inside. */
function renderEventDiv(attrs: string, description: string): string {
  const parsed = parseBbcodeAttributes(attrs);
  const data = Object.entries(parsed)
    .map(([k, v]) => ` data-${dasherize(k)}="${escapeHtml(v)}"`)
    .join("");
  const body = description.trim() === "" ? "" : `\n${description.trim()}\n`;
  return `<div class="discourse-post-event"${data}>\n${body}\n</div>\n`;
}

const DATE_TAG = /\[date=([^\]\s]+)((?:\s+[\w-]+=(?:"[^"]*"|'[^']*'|[^\s\]]+))*)\s*\]/g;

export function createCooker(opts: { calendarPlugin: boolean }): (raw: string) => string {
  const md = new MarkdownIt({ html: true, linkify: true, breaks: true, typographer: true });
  md.core.ruler.after("inline", "discourse_local_dates", (state) => {
    for (const block of state.tokens) {
      if (block.type !== "inline" || !block.children) continue;
      const out: typeof block.children = [];
      for (const tok of block.children) {
        if (tok.type !== "text" || !tok.content.includes("[date=")) {
          out.push(tok);
          continue;
        }
        let last = 0;
        for (const m of tok.content.matchAll(DATE_TAG)) {
          const before = new state.Token("text", "", 0);
          before.content = tok.content.slice(last, m.index);
          out.push(before);
          const html = new state.Token("html_inline", "", 0);
          html.content = localDateSpan(m[1] as string, parseBbcodeAttributes(m[2] ?? ""));
          out.push(html);
          last = (m.index ?? 0) + m[0].length;
        }
        const rest = new state.Token("text", "", 0);
        rest.content = tok.content.slice(last);
        out.push(rest);
      }
      block.children = out;
    }
  });
  return (raw: string): string => {
    const source = opts.calendarPlugin
      ? raw.replace(EVENT_BLOCK, (_m, attrs: string | undefined, description: string | undefined) =>
          /\bstart=/.test(attrs ?? "") ? renderEventDiv(attrs ?? "", description ?? "") : _m,
        )
      : raw;
    return sanitizer.process(md.render(source)).trim();
  };
}
