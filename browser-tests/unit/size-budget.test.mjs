import { expect, test } from "vitest";
import { measureThemeSize } from "../size/measure.mjs";

// What every page pays for the component, gzipped; docs/theme.md records the measured figures.
const ALWAYS_LOADED_GZIP_BUDGET = 10 * 1024;

test(
  "keeps ical-generator and the .ics builder out of the always-loaded bundle",
  { timeout: 60000 },
  async () => {
    const report = await measureThemeSize();
    expect(report.lazyChunkModules).toEqual(
      expect.arrayContaining([
        "javascripts/vendor/ical-generator.js",
        "javascripts/discourse/lib/ics-builder.js",
        "javascripts/discourse/lib/vtimezone.js",
      ])
    );
    expect(report.alwaysLoaded.gzip).toBeLessThan(ALWAYS_LOADED_GZIP_BUDGET);
    expect(report.generatorChunk.gzip).toBeGreaterThan(5 * 1024);
  }
);
