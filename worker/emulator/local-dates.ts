/** The discourse-local-dates [date=…] BBCode rendered as its span (data attributes as the plugin emits them). */
import { escapeHtml } from "./text.ts";

function utcInstant(date: string, time: string | undefined, zone: string | undefined): Date | null {
  const local = `${date}T${time ?? "00:00:00"}`;
  const asUtc = Date.parse(`${local}${/:\d\d:\d\d$/.test(local) ? "" : ":00"}Z`);
  if (Number.isNaN(asUtc)) return null;
  if (!zone) return new Date(asUtc);
  try {
    const fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    const parts = Object.fromEntries(fmt.formatToParts(new Date(asUtc)).map((p) => [p.type, p.value]));
    const shown = Date.UTC(
      +parts.year!,
      +parts.month! - 1,
      +parts.day!,
      +parts.hour!,
      +parts.minute!,
      +parts.second!,
    );
    return new Date(asUtc - (shown - asUtc));
  } catch {
    return null;
  }
}

export function localDateSpan(date: string, attrs: Record<string, string>): string {
  const data: Array<[string, string]> = [["data-date", date]];
  if (attrs["time"]) data.push(["data-time", attrs["time"]]);
  for (const k of ["format", "timezone", "timezones", "countdown", "recurring", "displayedTimezone"]) {
    const v = attrs[k];
    if (v !== undefined) data.push([`data-${k === "displayedTimezone" ? "displayed-timezone" : k}`, v]);
  }
  const instant = utcInstant(date, attrs["time"], attrs["timezone"]);
  const label = instant ? `${instant.toISOString().replace(".000Z", "Z")} UTC` : date;
  data.push(["data-email-preview", label]);
  const attrText = data.map(([k, v]) => ` ${k}="${escapeHtml(v)}"`).join("");
  return `<span class="discourse-local-date"${attrText}>${escapeHtml(label)}</span>`;
}
