/**
 * What the sync engine remembers about each event it wrote to Discourse. Kept in Redis by the sync
 * engine's state store (src/sync/state-store.ts) and read by the exporter, which serves these events
 * back with their original UIDs.
 */
import type { CalendarEvent } from "./event.ts";

export interface ImportedEventRecord {
  feedId: string;
  siteId: string;
  eventKey: string;
  externalId: string;
  topicId: number;
  postId: number;
  categoryId: number;
  /** Hash of the rendered managed block last written; unchanged hash means no API call. */
  renderHash: string;
  /** Rises each time the rendered event changes (exported as SEQUENCE). */
  revision: number;
  event: CalendarEvent;
  /** "active" | "cancelled" | "removed" */
  state: "active" | "cancelled" | "removed";
  updatedAt: string;
}
