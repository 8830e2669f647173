/** What SearchIndexer indexes and how terms match: scrubbed cooked text, lowercase words, light stemming. */

/** HtmlScrubber: text nodes plus alt/title attributes and non-local hrefs; comments and data-* dropped. */
export function scrubCooked(cooked: string): string {
  const attrs: string[] = [];
  const noComments = cooked.replace(/<!--[\s\S]*?-->/g, " ");
  for (const m of noComments.matchAll(/<[^>]+>/g)) {
    for (const a of m[0].matchAll(/\s(alt|title|href)="([^"]*)"/g)) {
      const value = a[2] ?? "";
      if (a[1] !== "href" || /^https?:\/\//.test(value)) attrs.push(value);
    }
  }
  const textOnly = noComments
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&rsquo;|&lsquo;/g, "'");
  return `${textOnly} ${attrs.join(" ")}`.replace(/\s+/g, " ").trim();
}

/** A small English stemmer in the spirit of Postgres' snowball config; enough for plural/tense variants. */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/'s$/, "").replace(/'/g, "");
  if (w.length <= 3) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}i`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) w = w.slice(0, -1);
  for (const suffix of ["ing", "ed"]) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length);
      if (/([^aeiouls])\1$/.test(w)) w = w.slice(0, -1);
      break;
    }
  }
  if (w.endsWith("y") && w.length > 3) w = `${w.slice(0, -1)}i`;
  return w;
}

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'_-]*/gu) ?? [];
}

/** Term stems match word stems by prefix, as Discourse's ts_query appends :* to each term. */
export function matches(termStem: string, wordStems: Set<string>): boolean {
  if (wordStems.has(termStem)) return true;
  for (const w of wordStems) if (w.startsWith(termStem)) return true;
  return false;
}
