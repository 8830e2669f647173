/** Errors of the Discourse client. Messages name the site, route and Discourse's own words; never the key. */

export class DiscourseError extends Error {
  readonly siteId: string;
  readonly status: number;
  /** Discourse's messages (the "errors" array), or the text body. */
  readonly errors: string[];
  readonly errorType?: string;
  readonly route: string;

  constructor(siteId: string, route: string, status: number, errors: string[], errorType?: string) {
    const detail = errors.length ? errors.join("; ") : `HTTP ${status}`;
    super(`site "${siteId}": ${route} failed (${status || "network"}): ${detail}`);
    this.name = "DiscourseError";
    this.siteId = siteId;
    this.route = route;
    this.status = status;
    this.errors = errors;
    if (errorType) this.errorType = errorType;
  }

  /** Discourse's own text, for per-event failure reports. */
  get discourseMessage(): string {
    return this.errors.join("; ") || `HTTP ${this.status}`;
  }

  get externalIdTaken(): boolean {
    return this.status === 422 && this.errors.some((e) => /external.*(already been taken|taken)/i.test(e));
  }

  get titleTaken(): boolean {
    return this.status === 422 && this.errors.some((e) => /has already been used/i.test(e));
  }

  /** A new topic refused because its category does not exist (or the API user cannot see it). */
  get unknownCategory(): boolean {
    return (
      this.status === 400 &&
      this.errorType === "invalid_parameters" &&
      this.errors.some((e) => /parameters to the request: category$/.test(e))
    );
  }
}
