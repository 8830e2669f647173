import { expect, test } from "vitest";
import { measureThemeSize } from "../size/measure.mjs";

// What every page pays for the component, gzipped; docs/theme.md records the measured figures.
const ALWAYS_LOADED_GZIP_BUDGET = 7 * 1024;

test(
  "keeps ical-generator, the .ics builder and the staff panel out of the always-loaded bundle",
  { timeout: 60000 },
  async () => {
    const report = await measureThemeSize();
    expect(report.lazyChunkModules).toEqual(
      expect.arrayContaining([
        "javascripts/vendor/ical-generator.js",
        "javascripts/discourse/lib/ics-builder.js",
        "javascripts/discourse/lib/vtimezone.js",
        "javascripts/discourse/components/ics-import-status.gjs",
        "javascripts/discourse/lib/import-status.js",
      ])
    );
    expect(report.alwaysLoaded.gzip).toBeLessThan(ALWAYS_LOADED_GZIP_BUDGET);
    expect(report.icsChunk.gzip).toBeGreaterThan(5 * 1024);
  }
);
