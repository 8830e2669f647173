// Stands in for Discourse's i18n: echoes the key and its interpolations so tests can assert both,
// or, after useTranslations(strings), translates `theme_translations.<id>.<key>` with %{name}
// interpolation as Discourse does (for layout tests and screenshots, where text length matters).
let translations = null;

export function useTranslations(strings) {
  translations = strings;
}

function translate(key, options) {
  const path = key.replace(/^theme_translations\.\d+\./, "").split(".");
  const text = path.reduce((node, part) => node?.[part], translations);
  if (typeof text !== "string") {
    return `[missing ${key}]`;
  }
  return text.replace(/%\{(\w+)\}/g, (_, name) =>
    String(options?.[name] ?? "")
  );
}

export function i18n(key, options) {
  if (translations) {
    return translate(key, options);
  }
  if (!options) {
    return key;
  }
  const values = Object.entries(options)
    .map(([name, value]) => `${name}=${value}`)
    .join(",");
  return `${key}(${values})`;
}
