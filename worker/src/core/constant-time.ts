import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compare a presented secret with the expected one without leaking, through timing, how much of it
 * matched or how long it is: both sides are hashed to equal-length digests first.
 */
export function secretsEqual(presented: string | undefined | null, expected: string): boolean {
  if (typeof presented !== "string") return false;
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Compare two hex strings (e.g. HMACs) in constant time; false for anything that is not hex. */
export function hexEqual(presented: string, expected: string): boolean {
  if (!/^[0-9a-f]+$/i.test(presented) || presented.length !== expected.length) return false;
  return timingSafeEqual(
    Buffer.from(presented.toLowerCase(), "hex"),
    Buffer.from(expected.toLowerCase(), "hex"),
  );
}
