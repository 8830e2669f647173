import Application from "@ember/application";
import { renderComponent } from "@ember/renderer";
import { run } from "@ember/runloop";
import { settled } from "@ember/test-helpers";

let rendered = [];
let owners = [];

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

/** An Ember owner that answers `@service` lookups with the given objects. */
export function ownerWith(services) {
  const app = Application.create({
    autoboot: false,
    // Everything the components look up is registered below; the resolver only maps
    // `@service currentUser` to "service:current-user", as Discourse's does.
    Resolver: {
      create: () => ({
        resolve: () => undefined,
        normalize: (fullName) =>
          fullName.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase(),
      }),
    },
  });
  for (const [name, value] of Object.entries(services)) {
    app.register(`service:${name}`, value, { instantiate: false });
  }
  owners.push(app);
  return app.buildInstance();
}

export function teardownOwners() {
  for (const app of owners) {
    run(() => app.destroy());
  }
  owners = [];
}
