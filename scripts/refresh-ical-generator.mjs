#!/usr/bin/env node
// Copies the installed ical-generator ESM build into the theme (themes cannot import npm packages)
// with its version and MIT licence on top. Run after changing the ical-generator version:
//   node scripts/refresh-ical-generator.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const entry = require.resolve("ical-generator");
const packageDir = entry.slice(0, entry.lastIndexOf("/dist/"));
const { version } = JSON.parse(
  readFileSync(join(packageDir, "package.json"), "utf8")
);
const licence = readFileSync(join(packageDir, "LICENSE"), "utf8").trim();
const build = readFileSync(join(packageDir, "dist", "index.mjs"), "utf8")
  .replace(/\n?\/\/# sourceMappingURL=.*$/m, "")
  .trimEnd();

if (/\bimport\s*[{*\w]|\brequire\(|\bprocess\.|\bBuffer\b/.test(build)) {
  throw new Error(
    `ical-generator ${version} imports modules or uses Node globals; it cannot be vendored as is`
  );
}

const header = [
  "/*!",
  ` * ical-generator ${version} (dist/index.mjs), vendored by scripts/refresh-ical-generator.mjs.`,
  " * Do not edit: run the script to refresh it.",
  " *",
  ...licence.split("\n").map((line) => ` * ${line}`.trimEnd()),
  " */",
].join("\n");

const target = join(root, "javascripts", "vendor", "ical-generator.js");
writeFileSync(target, `${header}\n${build}\n`);
process.stdout.write(`vendored ical-generator ${version} into ${target}\n`);
