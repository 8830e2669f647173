/** Plain-text views of a plan and a report for the command line. */
import type { SyncReport } from "../core/feed.ts";
import type { PlannedAction } from "./planner.ts";

export function formatPlan(plan: readonly PlannedAction[]): string {
  if (plan.length === 0) return "  (the feed has no events in the window)";
  const width = Math.min(40, Math.max(...plan.map((a) => a.summary.length)));
  return plan
    .map((a) => {
      const summary = a.summary.replace(/\s+/g, " ");
      const shown = summary.length > width ? summary.slice(0, width - 1) + "\u2026" : summary.padEnd(width);
      return `  ${a.kind.padEnd(9)} ${shown}  ${a.reason}`;
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
