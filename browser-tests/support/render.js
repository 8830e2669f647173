import { renderComponent } from "@ember/renderer";
import { settled } from "@ember/test-helpers";

let rendered = [];

/** Renders a component with real ember-source into a fresh element in the test page. */
export async function render(component, { args = {}, owner } = {}) {
  const into = document.createElement("div");
  into.className = "test-root";
  document.body.appendChild(into);
  const result = renderComponent(component, { into, args, owner });
  rendered.push({ result, into });
  await settled();
  return into;
}

export function teardownRendered() {
  for (const { result, into } of rendered) {
    result.destroy();
    into.remove();
  }
  rendered = [];
}

export async function click(element) {
  element.click();
  await settled();
}

/** Polls until `condition` returns something truthy (for work that leaves the run loop). */
export async function waitFor(condition, { timeout = 5000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const result = condition();
    if (result) {
      await settled();
      return result;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${condition}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function keydown(element, key) {
  element.dispatchEvent(
    new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true })
  );
  await settled();
}
