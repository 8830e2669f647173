/**
 * The status topic's first post: a table people can read, and the machine-readable document in a
 * data attribute Discourse keeps on a div (base64url JSON, so no markdown or HTML can break it). Pure.
 */
import type { StatusDocument } from "../core/status.ts";

export function statusExternalId(siteId: string): string {
  return `dics-status-${siteId}`;
}

export function statusTopicTitle(siteId: string): string {
  return `Calendar import status (${siteId})`;
}

export function encodeStatus(doc: StatusDocument): string {
  return Buffer.from(JSON.stringify(doc), "utf8").toString("base64url");
}

export function decodeStatus(attr: string): StatusDocument {
  return JSON.parse(Buffer.from(attr, "base64url").toString("utf8")) as StatusDocument;
}

/** Table cells come from feed names and failure reasons: keep them from breaking the table or pinging. */
function cell(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/[\\`*_[\]<>|#@:]/g, (c) => `&#${c.charCodeAt(0)};`)
    .slice(0, 200);
}

function shortTime(iso: string): string {
  return iso.slice(0, 16).replace("T", " ");
}

export function renderStatusPost(doc: StatusDocument): string {
  const rows = doc.feeds.map((f) => {
    const r = f.lastRun;
    const changes = r
      ? `${r.counts.created} new, ${r.counts.updated} updated, ${r.counts.cancelled + r.counts.removed} cancelled/removed`
      : "";
    return `| ${cell(f.name)} | ${r ? r.outcome : "never run"} | ${r ? shortTime(r.finishedAt) : ""} | ${changes} | ${
      r ? r.counts.failed : ""
    } | ${f.nextRunAt ? shortTime(f.nextRunAt) : ""} |`;
  });
  const failures = doc.feeds.flatMap((f) =>
    (f.lastRun?.failures ?? []).map(
      (x) => `- ${cell(f.name)}: ${x.event ? `${cell(x.event)}: ` : ""}${cell(x.reason)}`,
    ),
  );
  return [
    "This topic is kept up to date by the calendar import worker. Please do not edit it.",
    "",
    "| Feed | Last run | Finished (UTC) | Changes | Failed | Next run (UTC) |",
    "| --- | --- | --- | --- | --- | --- |",
    ...(rows.length ? rows : ["| (no feeds configured) | | | | | |"]),
    "",
    ...(failures.length ? ["**Failures in the last runs**", "", ...failures, ""] : []),
    `<div data-ics-status="${encodeStatus(doc)}"></div>`,
    "",
  ].join("\n");
}
