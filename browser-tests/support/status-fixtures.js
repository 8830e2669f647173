// Building blocks for status documents as the worker writes them (StatusDocument, version 1).

export function counts(overrides = {}) {
  return {
    created: 0,
    updated: 0,
    adopted: 0,
    unchanged: 0,
    cancelled: 0,
    removed: 0,
    skipped: 0,
    failed: 0,
    ...overrides,
  };
}

export function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The status post's cooked HTML: the data block next to a human-readable table. */
export function statusPostCooked(document) {
  return `<p>Status</p><div data-ics-status="${toBase64Url(JSON.stringify(document))}"></div><table><tr><td>…</td></tr></table>`;
}
