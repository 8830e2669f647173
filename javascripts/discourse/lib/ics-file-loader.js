let loading;

/**
 * The .ics builder and ical-generator are only needed once someone asks for a file, so they load
 * on first use, in their own chunk.
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
