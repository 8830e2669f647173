/**
 * The one error type of ingestion. Its message always names the feed and the reason, and never carries
 * credentials: URLs go through core/redact-url.ts before they are put in a message.
 */
export class FeedError extends Error {
  readonly feedId: string;
  /** Machine-readable reason, e.g. "not-icalendar", "http-status", "too-large", "blocked-address". */
  readonly code: string;

  constructor(feedId: string, code: string, reason: string, options?: { cause?: unknown }) {
    super(`feed "${feedId}": ${reason}`, options);
    this.name = "FeedError";
    this.feedId = feedId;
    this.code = code;
  }
}
