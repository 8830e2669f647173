import { module, test } from "qunit";
import { eventFromWorkerDataset } from "../../../javascripts/discourse/lib/event-info";

module("Unit | discourse-ics | event-info", function () {
  test("reads the worker's data attributes", function (assert) {
    const event = eventFromWorkerDataset({
      icsEvent: "1",
      icsUid: "uid-1@example.org",
      icsStart: "2026-03-29T08:00:00.000Z",
      icsEnd: "2026-03-29T09:00:00.000Z",
      icsAllDay: "false",
      icsSummary: "Board meeting",
    });

    assert.strictEqual(event.uid, "uid-1@example.org");
    assert.strictEqual(event.title, "Board meeting");
    assert.false(event.allDay);
  });
});
