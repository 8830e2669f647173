// Globals the theme compiler injects into every theme module (see docs/theme.md).
globalThis.settings = {};
globalThis.themePrefix = (key) => `theme_translations.0.${key}`;
