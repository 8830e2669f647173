// Serves locales/en.yml to the page as `virtual:ics-locale-en` (the theme's own strings).
import { readFile } from "node:fs/promises";
import { parse } from "yaml";

const id = "virtual:ics-locale-en";
const resolvedId = `\0${id}`;
const localeFile = new URL("../../locales/en.yml", import.meta.url);

export function localeModule() {
  return {
    name: "discourse-ics-locale-en",
    resolveId: (source) => (source === id ? resolvedId : null),
    async load(moduleId) {
      if (moduleId !== resolvedId) {
        return null;
      }
      const { en } = parse(await readFile(localeFile, "utf8"));
      return `export default ${JSON.stringify(en)};`;
    },
  };
}
