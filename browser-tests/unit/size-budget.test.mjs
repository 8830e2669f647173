import { expect, test } from "vitest";
import { measureThemeSize } from "../size/measure.mjs";

// What the component's own code may add to every page, gzipped; docs/theme.md records the figures.
const OWN_CODE_GZIP_BUDGET = 12 * 1024;

test(
  "stays within budget and keeps the generator behind the dynamic import",
  { timeout: 60000 },
  async () => {
    const report = await measureThemeSize();

    expect(report.shippedWithoutGenerator.gzip).toBeLessThan(
      OWN_CODE_GZIP_BUDGET
    );
    expect(report.shipped.gzip).toBeGreaterThan(
      report.shippedWithoutGenerator.gzip
    );

    // Only pays off once Discourse lets themes load modules on demand (see measure.mjs).
    expect(report.splitOnDemandModules).toEqual(
      expect.arrayContaining([
        "javascripts/vendor/ical-generator.js",
        "javascripts/discourse/lib/ics-builder.js",
        "javascripts/discourse/lib/vtimezone.js",
      ])
    );
    expect(report.splitAlwaysLoadedModules).not.toContain(
      "javascripts/vendor/ical-generator.js"
    );
  }
);
