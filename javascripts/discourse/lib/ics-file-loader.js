let loading;

/**
 * The .ics builder and ical-generator are only needed once someone asks for a file. Discourse's
 * theme compiler still bundles every theme module, so today this only defers their evaluation;
 * once themes can opt into on-demand modules it also defers the download (docs/theme.md, Size).
 */
export function loadIcsFileBuilder() {
  loading ??= import("./ics-file").then(
    (module) => module.buildIcsFile,
    (error) => {
      loading = null;
      throw error;
    }
  );
  return loading;
}
