// What Discourse gives theme modules: the component's settings and its translation key prefix.
export const settings = {};

export function themePrefix(key) {
  return `theme_translations.0.${key}`;
}

export function setSettings(values) {
  for (const key of Object.keys(settings)) {
    delete settings[key];
  }
  Object.assign(settings, values);
}
