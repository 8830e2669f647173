// Mirrors Discourse's theme compiler, which gives every theme module `settings` and
// `themePrefix` through an injected import; here they come from the test stub.
import { fileURLToPath } from "node:url";

const themeRoot = fileURLToPath(new URL("../../javascripts/", import.meta.url));
const globalsModule = fileURLToPath(
  new URL("../stubs/theme-globals.js", import.meta.url)
);

export function themeGlobals() {
  return {
    name: "discourse-ics-theme-globals",
    enforce: "pre",
    transform(code, id) {
      if (
        !id.startsWith(themeRoot) ||
        !/\.g?js$/.test(id) ||
        id.includes("/vendor/")
      ) {
        return null;
      }
      return {
        code: `import { settings, themePrefix } from ${JSON.stringify(globalsModule)};\n${code}`,
        map: null,
      };
    },
  };
}
