// Builds the theme's JavaScript the way Discourse ships it and reports what a page downloads.
//   node browser-tests/size/measure.mjs
//
// Discourse's theme compiler (frontend/asset-processor) gives each theme one entry module that
// imports every file under javascripts/, so today everything arrives in one bundle and a dynamic
// import() only defers evaluation. Plugins can opt out with `frontend.staticModules`; Discourse's
// guide says theme support "will come later". The "split" figures show what the theme's dynamic
// import saves once it does.
import { templateTag } from "@embroider/vite";
import { babel } from "@rollup/plugin-babel";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { minify } from "terser";
import { build } from "vite";

const root = fileURLToPath(new URL("../..", import.meta.url));
const themeJs = `${root}javascripts/`;
const vendoredGenerator = `${themeJs}vendor/ical-generator.js`;
const PROVIDED_BY_DISCOURSE =
  /^(discourse|discourse-i18n|@ember|@glimmer|decorator-transforms|theme-globals)(\/|$)/;
const ALL_MODULES = "virtual:all-theme-modules";

function themeGlobals() {
  return {
    name: "theme-globals",
    enforce: "pre",
    transform(code, id) {
      if (!id.startsWith(themeJs) || id.includes("/vendor/")) {
        return null;
      }
      return `import { settings, themePrefix } from "theme-globals";\n${code}`;
    },
  };
}

// Like Discourse's virtual entry point: import every theme module.
function allModulesEntry() {
  const files = readdirSync(themeJs, { recursive: true }).filter((file) =>
    /\.g?js$/.test(file)
  );
  return {
    name: "all-theme-modules",
    resolveId: (id) => (id.endsWith(ALL_MODULES) ? `\0${ALL_MODULES}` : null),
    load(id) {
      if (id !== `\0${ALL_MODULES}`) {
        return null;
      }
      return files
        .map(
          (file, i) =>
            `export * as m${i} from ${JSON.stringify(themeJs + file)};`
        )
        .join("\n");
    },
  };
}

function withoutGenerator() {
  return {
    name: "without-generator",
    enforce: "pre",
    load: (id) =>
      id === vendoredGenerator ? "export default function ical() {}" : null,
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

async function bundle(entry, extraPlugins = []) {
  const result = await build({
    root,
    configFile: false,
    logLevel: "silent",
    resolve: { extensions: [".js", ".gjs"] },
    plugins: [
      ...extraPlugins,
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
  return (Array.isArray(result) ? result[0] : result).output.filter(
    (item) => item.type === "chunk"
  );
}

const total = (chunks) => sizes(chunks.map((chunk) => chunk.code).join("\n"));
const moduleIds = (chunks) =>
  chunks.flatMap((chunk) =>
    Object.keys(chunk.modules).map((id) => id.replace(root, ""))
  );

export async function measureThemeSize() {
  const shipped = await bundle(ALL_MODULES, [allModulesEntry()]);
  const shippedWithoutGenerator = await bundle(ALL_MODULES, [
    allModulesEntry(),
    withoutGenerator(),
  ]);
  const split = await bundle(
    `${themeJs}discourse/api-initializers/discourse-ics.js`
  );
  const splitEntry = split.filter((chunk) => chunk.isEntry);
  const splitLazy = split.filter((chunk) => !chunk.isEntry);
  const generator = (
    await minify(readFileSync(vendoredGenerator, "utf8"), { module: true })
  ).code;
  const css = readFileSync(`${root}common/common.scss`, "utf8")
    .replace(/\s+/g, " ")
    .trim();
  return {
    shipped: total(shipped),
    shippedWithoutGenerator: total(shippedWithoutGenerator),
    generator: sizes(generator),
    splitAlwaysLoaded: total(splitEntry),
    splitOnDemand: total(splitLazy),
    splitAlwaysLoadedModules: moduleIds(splitEntry),
    splitOnDemandModules: moduleIds(splitLazy),
    scssSource: sizes(css),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = await measureThemeSize();
  const row = (name, s) =>
    `${name.padEnd(44)} ${String(s.minified).padStart(7)} B min  ${String(s.gzip).padStart(6)} B gzip  ${String(s.brotli).padStart(6)} B brotli`;
  process.stdout.write(
    [
      row("shipped today (one bundle)", report.shipped),
      row(
        "shipped today without ical-generator",
        report.shippedWithoutGenerator
      ),
      row("ical-generator alone (licence kept)", report.generator),
      row("split: always loaded", report.splitAlwaysLoaded),
      row("split: on demand (.ics builder + generator)", report.splitOnDemand),
      row("common.scss (source)", report.scssSource),
    ].join("\n") + "\n"
  );
}
