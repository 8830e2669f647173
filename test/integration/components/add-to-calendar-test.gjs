import { click, render, triggerKeyEvent } from "@ember/test-helpers";
import { module, test } from "qunit";
import { setupRenderingTest } from "discourse/tests/helpers/component-test";
import AddToCalendar from "../../../javascripts/discourse/components/add-to-calendar";

const event = {
  source: "worker",
  uid: "uid-1@example.org",
  title: "Board meeting",
  allDay: false,
  start: "2026-03-29T08:00:00.000Z",
  end: "2026-03-29T09:00:00.000Z",
  timezone: "Europe/Berlin",
  location: null,
  url: null,
  description: null,
  status: "confirmed",
  sequence: 0,
  rrule: null,
};

module("Integration | discourse-ics | add-to-calendar", function (hooks) {
  setupRenderingTest(hooks);

  test("opens and closes the menu", async function (assert) {
    await render(<template><AddToCalendar @event={{event}} /></template>);

    assert
      .dom(".ics-add-to-calendar__trigger")
      .hasAttribute("aria-expanded", "false");

    await click(".ics-add-to-calendar__trigger");
    assert
      .dom(".ics-add-to-calendar__trigger")
      .hasAttribute("aria-expanded", "true");
    assert.dom("[role='menu'] [data-kind='ics']").exists();

    await triggerKeyEvent("[role='menu']", "keydown", "Escape");
    assert.dom("[role='menu']").doesNotExist();
  });
});
