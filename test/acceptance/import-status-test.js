import { visit } from "@ember/test-helpers";
import { test } from "qunit";
import { acceptance } from "discourse/tests/helpers/qunit-helpers";

acceptance("discourse-ics | import status | staff", function (needs) {
  needs.user({ admin: true });

  test("shows the panel in the topic list outlet", async function (assert) {
    await visit("/latest");

    assert.dom(".ics-import-status").exists();
    assert.dom(".ics-import-status__title").exists();
  });
});

acceptance("discourse-ics | import status | member", function (needs) {
  needs.user({ admin: false, moderator: false });

  test("shows nothing to non-staff", async function (assert) {
    await visit("/latest");

    assert.dom(".ics-import-status").doesNotExist();
  });
});
