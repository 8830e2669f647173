import DiscourseRecommendedTheme from "@discourse/lint-configs/eslint-theme";

export default [
  ...DiscourseRecommendedTheme,
  {
    ignores: ["worker/**", "node_modules/**", "coverage/**"],
  },
  {
    files: ["browser-tests/**", "scripts/**"],
    languageOptions: {
      globals: {
        process: "readonly",
      },
    },
  },
  {
    // Vitest, not QUnit: these run outside Discourse (see docs/theme.md).
    files: ["browser-tests/**"],
    rules: {
      "discourse/test-filename-suffix": "off",
      "qunit/no-nested-tests": "off",
      "qunit/no-only": "off",
      "qunit/no-test-expect-argument": "off",
      "qunit/require-expect": "off",
    },
  },
];
