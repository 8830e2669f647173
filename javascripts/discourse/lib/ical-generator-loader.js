let loading;

/** ical-generator is only needed once someone asks for a file, so it loads on first use. */
export function loadIcalGenerator() {
  loading ??= import("../../vendor/ical-generator").then(
    (module) => module.default,
    (error) => {
      loading = null;
      throw error;
    }
  );
  return loading;
}
