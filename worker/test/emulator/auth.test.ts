import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../emulator/index.ts";
import { startEmulator } from "../../emulator/index.ts";
import { call, topicBody } from "./helpers.ts";

const INVALID_KEY = {
  errors: ["You are not permitted to view the requested resource. The API username or key is invalid."],
  error_type: "invalid_access",
};

describe("emulator auth", () => {
  let em: Emulator;
  before(async () => {
    em = await startEmulator({ adminRequestsPerMinute: null });
  });
  after(() => em.close());

  it("answers /srv/status with a plain ok, without a key", async () => {
    const r = await fetch(`${em.url}/srv/status`);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), "ok");
  });

  it("rejects an unknown key with the invalid-credentials body", async () => {
    const r = await call(em, "GET", "/latest.json", undefined, { key: "wrong" });
    assert.equal(r.status, 403);
    assert.deepEqual(r.body, INVALID_KEY);
  });

  it("rejects an unknown Api-Username and a missing one", async () => {
    for (const user of ["nobody", null]) {
      const r = await call(em, "GET", "/latest.json", undefined, { user });
      assert.equal(r.status, 403);
      assert.deepEqual(r.body, INVALID_KEY);
    }
  });

  it("accepts Api-User-Id in place of Api-Username", async () => {
    const r = await call(em, "GET", "/latest.json", undefined, {
      user: null,
      headers: { "Api-User-Id": "3" },
    });
    assert.equal(r.status, 200);
    const created = await call(em, "POST", "/posts.json", topicBody(), {
      user: null,
      headers: { "Api-User-Id": "3" },
    });
    assert.equal(created.body.username, "alice");
  });

  it("matches Api-Username case-insensitively", async () => {
    const r = await call(em, "POST", "/posts.json", topicBody(), { user: "SyStEm" });
    assert.equal(r.status, 200);
    assert.equal(r.body.username, "system");
  });

  it("answers a write without credentials with not_logged_in", async () => {
    const r = await call(em, "POST", "/posts.json", topicBody(), { key: null, user: null });
    assert.equal(r.status, 403);
    assert.deepEqual(r.body, {
      errors: ["You need to be logged in to do that."],
      error_type: "not_logged_in",
    });
  });

  it("hides read-restricted categories from non-staff", async () => {
    const staff = await call(em, "POST", "/posts.json", topicBody({ category: 2 }));
    assert.equal(staff.status, 200);
    const asAlice = await call(em, "GET", `/t/${staff.body.topic_id}.json`, undefined, { user: "alice" });
    assert.equal(asAlice.status, 403);
    assert.deepEqual(asAlice.body, {
      errors: ["You are not permitted to view the requested resource."],
      error_type: "invalid_access",
    });
    assert.equal((await call(em, "GET", "/c/staff/2.json", undefined, { user: "alice" })).status, 404);
    assert.equal((await call(em, "GET", "/c/staff/2.json", undefined, { user: "mod" })).status, 200);
    const create = await call(em, "POST", "/posts.json", topicBody({ category: 2 }), { user: "alice" });
    assert.equal(create.status, 403);
  });

  it("serves the HTML app shell to a plain GET without .json", async () => {
    const r = await call(em, "GET", "/latest");
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /text\/html/);
    const withAccept = await call(em, "GET", "/latest", undefined, {
      headers: { Accept: "application/json" },
    });
    assert.ok(Array.isArray(withAccept.body.topic_list.topics));
  });
});
