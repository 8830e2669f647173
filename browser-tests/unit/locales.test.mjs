import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { CALENDAR_LINK_KINDS } from "../../javascripts/discourse/lib/calendar-links";
import { COUNT_KEYS } from "../../javascripts/discourse/lib/import-status";

const root = fileURLToPath(new URL("../..", import.meta.url));
const english = parse(readFileSync(join(root, "locales/en.yml"), "utf8")).en;
const settings = parse(readFileSync(join(root, "settings.yml"), "utf8"));

function sources(dir) {
  return readdirSync(join(root, dir), { recursive: true })
    .filter((file) => /\.g?js$/.test(file))
    .map((file) => readFileSync(join(root, dir, file), "utf8"));
}

function lookup(key) {
  return key.split(".").reduce((node, part) => node?.[part], english);
}

describe("locales/en.yml", () => {
  test("has every key the theme's code asks for", () => {
    const keys = new Set();
    for (const source of sources("javascripts/discourse")) {
      for (const match of source.matchAll(/themePrefix[ (]"([a-z_.-]+)"/g)) {
        keys.add(match[1]);
      }
    }
    for (const kind of ["ics", ...CALENDAR_LINK_KINDS]) {
      keys.add(`add_to_calendar.${kind}`);
    }
    for (const outcome of ["ok", "partial", "failed", "not-modified"]) {
      keys.add(`import_status.outcome.${outcome}`);
    }
    const statusSource = readFileSync(
      join(root, "javascripts/discourse/lib/status-source.js"),
      "utf8"
    );
    for (const match of statusSource.matchAll(/StatusFetchError\("(\w+)"/g)) {
      keys.add(`import_status.fetch_errors.${match[1]}`);
    }
    for (const count of COUNT_KEYS) {
      keys.add(`import_status.counts.${count}`);
    }
    expect(keys.size).toBeGreaterThan(20);
    const missing = [...keys].filter((key) => typeof lookup(key) !== "string");
    expect(missing).toEqual([]);
  });

  test("describes every setting", () => {
    const undescribed = Object.keys(settings).filter(
      (name) => typeof english.theme_metadata.settings[name] !== "string"
    );
    expect(undescribed).toEqual([]);
  });

  test("names every calendar link the code knows in the setting's description", () => {
    const description = english.theme_metadata.settings.calendar_links;
    for (const kind of ["ics", ...CALENDAR_LINK_KINDS]) {
      expect(description).toContain(kind);
    }
    const defaults = settings.calendar_links.default.split("|");
    expect(
      defaults.every((kind) => ["ics", ...CALENDAR_LINK_KINDS].includes(kind))
    ).toBe(true);
  });
});
