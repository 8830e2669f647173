/**
 * Bytes to text for iCalendar input. RFC 5545 says UTF-8, but real feeds also arrive with a BOM, as
 * UTF-16 (Windows exports) or as Latin-1/Windows-1252 (older servers).
 */
import { FeedError } from "./errors.ts";

export interface DecodedText {
  text: string;
  /** The encoding the bytes were read in. */
  encoding: "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";
  /**
   * For valid UTF-8 bytes: the bytes and the offset of the text in them (after byte-order marks), so
   * that lines can be decoded one by one instead of being sliced out of `text`.
   */
  utf8?: { utf8: Uint8Array; start: number };
}

function startsWithBom(b: Uint8Array, at: number): boolean {
  return b[at] === 0xef && b[at + 1] === 0xbb && b[at + 2] === 0xbf;
}

function looksLikeUtf16(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  // "BEGIN" in UTF-16 without BOM: every other byte is zero.
  const n = Math.min(bytes.length, 64) & ~1;
  if (n < 8) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== 0) continue;
    if (i % 2 === 0) zeroEven++;
    else zeroOdd++;
  }
  if (zeroOdd >= n / 2 - 2 && zeroEven === 0) return "utf-16le";
  if (zeroEven >= n / 2 - 2 && zeroOdd === 0) return "utf-16be";
  return undefined;
}

export function decodeFeed(input: string | Uint8Array, feedId: string): DecodedText {
  if (typeof input === "string") return { text: input.replace(/^\uFEFF/, ""), encoding: "utf-8" };
  const b = input;
  let encoding: DecodedText["encoding"] | undefined;
  let start = 0;
  if (startsWithBom(b, 0)) {
    encoding = "utf-8";
    start = 3;
  } else if (b[0] === 0xff && b[1] === 0xfe) {
    encoding = "utf-16le";
    start = 2;
  } else if (b[0] === 0xfe && b[1] === 0xff) {
    encoding = "utf-16be";
    start = 2;
  } else {
    encoding = looksLikeUtf16(b);
  }
  const body = b.subarray(start);
  if (encoding === "utf-16le" || encoding === "utf-16be") {
    return { text: new TextDecoder(encoding).decode(body), encoding };
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    // The decoder drops one more byte-order mark at the start of the body, as the line reader must.
    const textStart = startsWithBom(b, start) ? start + 3 : start;
    return { text, encoding: "utf-8", utf8: { utf8: b, start: textStart } };
  } catch {
    if (body.includes(0)) {
      throw new FeedError(feedId, "not-icalendar", "the content is binary data, not an iCalendar text");
    }
    // Not valid UTF-8: the only common alternative in the wild is Windows-1252 / Latin-1.
    return { text: new TextDecoder("windows-1252").decode(body), encoding: "windows-1252" };
  }
}
