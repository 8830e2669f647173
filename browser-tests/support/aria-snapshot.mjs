// Runs in Node (a Vitest browser command): the accessibility tree Chromium builds for the
// element, as Playwright's ARIA snapshot (roles, names, states), i.e. what a screen reader reads.
export async function ariaSnapshot(context, selector) {
  const frame = await context.frame();
  return frame.locator(selector).first().ariaSnapshot();
}
