import { buildMacros } from "@embroider/macros/babel";
import { ember, extensions } from "@embroider/vite";
import { babel } from "@rollup/plugin-babel";
import { playwright } from "@vitest/browser-playwright";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { ariaSnapshot } from "./support/aria-snapshot.mjs";
import { localeModule } from "./support/locale-plugin.mjs";
import { parseIcs } from "./support/parse-ics.mjs";
import { themeGlobals } from "./support/theme-globals-plugin.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const stubs = fileURLToPath(new URL("./stubs/", import.meta.url));
const macros = buildMacros();

const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export default defineConfig({
  root,
  test: {
    projects: [
      {
        extends: false,
        root,
        test: {
          name: "unit",
          environment: "node",
          include: ["browser-tests/unit/**/*.test.mjs"],
        },
      },
      {
        extends: false,
        root,
        // Pre-bundling would skip the macro and theme-global transforms below.
        optimizeDeps: { noDiscovery: true, include: [] },
        resolve: {
          extensions,
          alias: [
            // Discourse gets @glimmer/tracking from ember-source, not the old standalone package.
            {
              find: /^@glimmer\/tracking$/,
              replacement: "ember-source/@glimmer/tracking/index.js",
            },
            {
              find: /^discourse-i18n$/,
              replacement: `${stubs}discourse-i18n.js`,
            },
            {
              find: /^discourse\/(.*)$/,
              replacement: `${stubs}discourse/$1`,
            },
          ],
        },
        plugins: [
          localeModule(),
          themeGlobals(),
          ember(),
          babel({
            babelHelpers: "inline",
            extensions: [".js", ".gjs"],
            exclude: [
              /node_modules\/(?!ember-source|@glimmer\/component|@ember\/test-(helpers|waiters))/,
            ],
            plugins: [
              [
                "babel-plugin-ember-template-compilation",
                {
                  compilerPath: "ember-source/ember-template-compiler/index.js",
                  transforms: [...macros.templateMacros],
                },
              ],
              [
                "module:decorator-transforms",
                { runtime: { import: "decorator-transforms/runtime-esm" } },
              ],
              ...macros.babelMacros,
            ],
          }),
        ],
        test: {
          name: "browser",
          include: ["browser-tests/components/**/*.test.{js,gjs}"],
          // Layout tests load the compiled stylesheets; other CSS stays stubbed out.
          css: { include: [/\.scss$/] },
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            instances: [{ browser: "chromium" }],
            provider: playwright({
              launchOptions: {
                executablePath:
                  process.env.CHROMIUM_PATH || "/usr/bin/chromium",
                args: chromiumArgs,
              },
            }),
            commands: { parseIcs, ariaSnapshot },
          },
        },
      },
    ],
  },
});
