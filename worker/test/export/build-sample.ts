/** Prints one fixed export, so a test can compare the bytes built under different host zones. */
import { buildIcs } from "../../src/export/build-ics.ts";
import { allDayEvent, exportConfig, record, timedEvent } from "./fixtures.ts";

const series = allDayEvent("days@src", "2026-07-10", "2026-07-11");
series.key = "days@src@2026-07-10";
series.recurrenceId = "2026-07-10";
const records = [
  record(timedEvent("late@src", "2026-03-29T23:30:00.000Z", "2026-03-30T00:30:00.000Z", "Europe/Berlin")),
  record(timedEvent("early@src", "2026-11-01T06:30:00.000Z", "2026-11-01T07:30:00.000Z", "America/New_York")),
  record(allDayEvent("fair@src", "2026-01-01", "2026-01-03")),
  record(series),
];
process.stdout.write(
  buildIcs({ config: exportConfig(), siteBaseUrl: "https://f.example", records, pluginEvents: [] }).body,
);
