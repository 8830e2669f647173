/** Plain-text views of a plan and a report for the command line. */
import type { EventSpan } from "../core/event.ts";
import type { SyncReport } from "../core/feed.ts";
import type { PlannedAction } from "./planner.ts";

/** When the event starts, in the zone it was written in: recurring events are told apart by it. */
export function formatWhen(time: EventSpan | undefined): string {
  if (!time) return "";
  if (time.kind === "allDay") return `${time.startDate} all day`;
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: time.timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(time.start));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

export function formatPlan(plan: readonly PlannedAction[]): string {
  if (plan.length === 0) return "  (the feed has no events in the window)";
  const width = Math.min(40, Math.max(...plan.map((a) => a.summary.length)));
  return plan
    .map((a) => {
      const summary = a.summary.replace(/\s+/g, " ");
      const shown = summary.length > width ? summary.slice(0, width - 1) + "\u2026" : summary.padEnd(width);
      const when = formatWhen((a.event ?? a.record?.event)?.time).padEnd(18);
      return `  ${a.kind.padEnd(9)} ${when}  ${shown}  ${a.reason}`;
    })
    .join("\n");
}

export function formatReport(r: SyncReport & { requests?: number }): string {
  const c = r.counts;
  const lines = [
    `feed ${r.feedId}: ${r.outcome}` +
      (r.requests !== undefined ? ` (${r.requests} Discourse requests)` : ""),
    `  created ${c.created}, updated ${c.updated}, adopted ${c.adopted}, unchanged ${c.unchanged}, cancelled ${c.cancelled}, removed ${c.removed}, skipped ${c.skipped}, failed ${c.failed}`,
  ];
  for (const f of r.failures.slice(0, 20))
    lines.push(`  failed: ${f.summary ? `${f.summary}: ` : ""}${f.reason}`);
  if (r.failures.length > 20) lines.push(`  … and ${r.failures.length - 20} more failures`);
  for (const p of r.feedProblems.slice(0, 10)) lines.push(`  feed problem (${p.code}): ${p.message}`);
  if (r.feedProblems.length > 10) lines.push(`  … and ${r.feedProblems.length - 10} more feed problems`);
  return lines.join("\n");
}
