// Stands in for Discourse's i18n: echoes the key and its interpolations so tests can assert both.
export function i18n(key, options) {
  if (!options) {
    return key;
  }
  const values = Object.entries(options)
    .map(([name, value]) => `${name}=${value}`)
    .join(",");
  return `${key}(${values})`;
}
