// Builds the theme's JavaScript the way Discourse ships it (templates precompiled, core modules
// left to Discourse, minified with terser) and reports what a page downloads: the always-loaded
// bundle, the chunk (.ics builder and ical-generator) that loads when someone asks for a file, and
// the status panel that loads for staff.
//   node browser-tests/size/measure.mjs
import { templateTag } from "@embroider/vite";
import { babel } from "@rollup/plugin-babel";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { minify } from "terser";
import { build } from "vite";

const root = fileURLToPath(new URL("../..", import.meta.url));
const entry = `${root}javascripts/discourse/api-initializers/discourse-ics.js`;
const PROVIDED_BY_DISCOURSE =
  /^(discourse|discourse-i18n|@ember|@glimmer|decorator-transforms|theme-globals)(\/|$)/;

function themeGlobals() {
  return {
    name: "theme-globals",
    enforce: "pre",
    transform(code, id) {
      if (!id.startsWith(`${root}javascripts/`) || id.includes("/vendor/")) {
        return null;
      }
      return `import { settings, themePrefix } from "theme-globals";\n${code}`;
    },
  };
}

function sizes(code) {
  const buffer = Buffer.from(code);
  return {
    minified: buffer.length,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer).length,
  };
}

export async function measureThemeSize() {
  const result = await build({
    root,
    configFile: false,
    logLevel: "silent",
    resolve: { extensions: [".js", ".gjs"] },
    plugins: [
      themeGlobals(),
      templateTag(),
      babel({
        babelHelpers: "bundled",
        extensions: [".js", ".gjs"],
        plugins: [
          [
            "babel-plugin-ember-template-compilation",
            { compilerPath: "ember-source/ember-template-compiler/index.js" },
          ],
          [
            "module:decorator-transforms",
            { runtime: { import: "decorator-transforms/runtime-esm" } },
          ],
        ],
      }),
    ],
    build: {
      write: false,
      minify: "terser",
      target: "es2022",
      lib: { entry, formats: ["es"], fileName: "theme" },
      rolldownOptions: { external: (id) => PROVIDED_BY_DISCOURSE.test(id) },
    },
  });
  const chunks = (Array.isArray(result) ? result[0] : result).output.filter(
    (item) => item.type === "chunk"
  );
  const always = chunks.filter((chunk) => chunk.isEntry);
  const lazy = chunks.filter((chunk) => !chunk.isEntry);
  const holding = (path) =>
    lazy.filter((chunk) =>
      Object.keys(chunk.modules).some((id) => id.endsWith(path))
    );
  const sum = (list) => sizes(list.map((chunk) => chunk.code).join("\n"));
  const css = readFileSync(`${root}common/common.scss`, "utf8")
    .replace(/\s+/g, " ")
    .trim();
  return {
    alwaysLoaded: sum(always),
    icsChunk: sum(holding("vendor/ical-generator.js")),
    statusPanelChunk: sum(holding("components/ics-import-status.gjs")),
    withEverything: sum(chunks),
    lazyChunkModules: lazy.flatMap((chunk) =>
      Object.keys(chunk.modules).map((id) => id.replace(root, ""))
    ),
    vendoredGenerator: sizes(
      (
        await minify(
          readFileSync(`${root}javascripts/vendor/ical-generator.js`, "utf8"),
          { module: true }
        )
      ).code
    ),
    scssSource: sizes(css),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = await measureThemeSize();
  const row = (name, s) =>
    `${name.padEnd(28)} ${String(s.minified).padStart(7)} B min  ${String(s.gzip).padStart(6)} B gzip  ${String(s.brotli).padStart(6)} B brotli`;
  process.stdout.write(
    [
      row("always loaded (JS)", report.alwaysLoaded),
      row("on-demand .ics chunk (JS)", report.icsChunk),
      row("staff status panel chunk (JS)", report.statusPanelChunk),
      row("all JS", report.withEverything),
      row("  of which ical-generator", report.vendoredGenerator),
      row("common.scss (source)", report.scssSource),
    ].join("\n") + "\n"
  );
}
