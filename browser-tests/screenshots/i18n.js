// Translates `theme_translations.<id>.<key>` with locales/en.yml and %{name} interpolation,
// as Discourse does, so screenshots show the texts users read.
import strings from "virtual:ics-locale-en";

export function i18n(key, options = {}) {
  const path = key.replace(/^theme_translations\.\d+\./, "").split(".");
  const text = path.reduce((node, part) => node?.[part], strings);
  if (typeof text !== "string") {
    return `[missing ${key}]`;
  }
  return text.replace(/%\{(\w+)\}/g, (_, name) => String(options[name] ?? ""));
}
