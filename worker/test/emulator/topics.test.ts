import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Emulator } from "../../emulator/index.ts";
import { startEmulator } from "../../emulator/index.ts";
import { call, fakeClock, topicBody } from "./helpers.ts";

const clock = fakeClock();

describe("topic reads and edits", () => {
  let em: Emulator;
  let topicId: number;
  let postId: number;
  before(async () => {
    em = await startEmulator({ adminRequestsPerMinute: null, now: clock.now });
  });
  beforeEach(async () => {
    em.reset();
    clock.advance(3_600_000);
    const r = await call(
      em,
      "POST",
      "/posts.json",
      topicBody({ title: "Harvest festival on the green", tags: ["harvest"], external_id: "ics-harvest-1" }),
    );
    topicId = r.body.topic_id;
    postId = r.body.id;
  });
  after(() => em.close());

  const topic = () => em.topics(true).find((t) => t.id === topicId)!;

  it("GET /t/:id.json returns the topic with tag objects and a post stream, raw on include_raw of any value", async () => {
    const r = await call(em, "GET", `/t/${topicId}.json`);
    assert.equal(r.status, 200);
    assert.equal(r.body.title, "Harvest festival on the green");
    assert.deepEqual(r.body.tags, [{ id: 1, name: "harvest", slug: "harvest" }]);
    assert.deepEqual(r.body.post_stream.stream, [postId]);
    assert.equal(r.body.post_stream.posts[0].raw, undefined);
    const withRaw = await call(em, "GET", `/t/${topicId}.json?include_raw=false`);
    assert.match(withRaw.body.post_stream.posts[0].raw, /Bring food/);
  });

  it("redirects a wrong slug with 301 and 404s a missing topic", async () => {
    const r = await call(em, "GET", `/t/wrong-slug/${topicId}.json?include_raw=1`);
    assert.equal(r.status, 301);
    assert.equal(r.headers.get("location"), `/t/harvest-festival-on-the-green/${topicId}.json?include_raw=1`);
    assert.equal((await call(em, "GET", `/t/harvest-festival-on-the-green/${topicId}.json`)).status, 200);
    assert.equal((await call(em, "GET", `/t/${topicId}.json?page=1`)).status, 200);
    const atPost = await call(em, "GET", `/t/${topicId}/1.json`);
    assert.equal(atPost.body.id, topicId, "/t/{id}/{post_number} is not a slug route");
    const postUrl = await call(em, "GET", `/t/harvest-festival-on-the-green/${topicId}/1.json`);
    assert.equal(postUrl.body.id, topicId);
    assert.equal(
      (await call(em, "GET", `/t/${topicId}.json?page=2`)).status,
      404,
      "past the last chunk of 20",
    );
    const missing = await call(em, "GET", "/t/9999.json");
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, {
      errors: ["The requested URL or resource could not be found."],
      error_type: "not_found",
    });
  });

  it("GET /t/external_id/:id.json redirects keeping include_raw, 404s unknown and deleted ids", async () => {
    const r = await call(em, "GET", "/t/external_id/ics-harvest-1.json?include_raw=true&foo=bar");
    assert.equal(r.status, 301);
    assert.equal(
      r.headers.get("location"),
      `/t/harvest-festival-on-the-green/${topicId}.json?include_raw=true`,
    );
    assert.equal((await call(em, "GET", "/t/external_id/ICS-HARVEST-1.json")).status, 404, "lookup is exact");
    await call(em, "DELETE", `/t/${topicId}.json`);
    assert.equal((await call(em, "GET", "/t/external_id/ics-harvest-1.json")).status, 404);
  });

  it("GET /posts/:id.json includes raw; GET /raw/:topic/:n is text/plain", async () => {
    const r = await call(em, "GET", `/posts/${postId}.json`);
    assert.match(r.body.raw, /Bring food/);
    const raw = await call(em, "GET", `/raw/${topicId}/1`);
    assert.match(raw.headers.get("content-type") ?? "", /text\/plain/);
    assert.equal(raw.text, r.body.raw);
    assert.equal((await call(em, "GET", "/posts/9999.json")).status, 404);
  });

  it("PUT /posts/:id.json edits raw, raises the version outside the grace period and bumps the topic", async () => {
    clock.advance(301_000);
    const r = await call(em, "PUT", `/posts/${postId}.json`, {
      post: { raw: "Bring food, friends and a blanket to the festival.", edit_reason: "more detail" },
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.post.version, 2);
    assert.equal(r.body.post.edit_reason, "more detail");
    assert.match(r.body.post.cooked, /blanket/);
    assert.equal(topic().bumpedAt, new Date(clock.now()).toISOString());
  });

  it("PUT /posts/:id.json with identical raw creates no version; small quick edits fold into the current one", async () => {
    const raw = topic().posts[0]!.raw;
    const same = await call(em, "PUT", `/posts/${postId}.json`, { post: { raw: `${raw}  \n` } });
    assert.equal(same.body.post.version, 1);
    clock.advance(10_000);
    const quick = await call(em, "PUT", `/posts/${postId}.json`, { post: { raw: `${raw} Small fix.` } });
    assert.equal(quick.body.post.version, 1, "same user, inside editing_grace_period, small diff");
    const reason = await call(em, "PUT", `/posts/${postId}.json`, {
      post: { raw: `${raw} Small fix again.`, edit_reason: "typo" },
    });
    assert.equal(reason.body.post.version, 2, "an edit reason forces a new version");
  });

  it("bypass_bump is honoured for staff only", async () => {
    const bumpedBefore = topic().bumpedAt;
    clock.advance(301_000);
    await call(em, "PUT", `/posts/${postId}.json`, {
      post: { raw: "Edited quietly by staff, no bump." },
      bypass_bump: true,
    });
    assert.equal(topic().bumpedAt, bumpedBefore);
    const mine = await call(em, "POST", "/posts.json", topicBody(), { user: "alice" });
    const aliceTopic = () => em.topics().find((t) => t.id === mine.body.topic_id)!;
    const before = aliceTopic().bumpedAt;
    clock.advance(301_000);
    const r = await call(
      em,
      "PUT",
      `/posts/${mine.body.id}.json`,
      { post: { raw: "Alice edits and asks for no bump.", bypass_bump: "true" } },
      { user: "alice" },
    );
    assert.equal(r.status, 200);
    assert.notEqual(aliceTopic().bumpedAt, before);
    await call(em, "PUT", `/t/${mine.body.topic_id}/status.json`, { status: "archived", enabled: "true" });
    const archived = await call(
      em,
      "PUT",
      `/posts/${mine.body.id}.json`,
      { post: { raw: "Alice tries to edit an archived topic." } },
      { user: "alice" },
    );
    assert.equal(archived.status, 403, "archived topics are read-only for non-staff");
  });

  it("bumps only when the edit makes a new version of the topic's last post", async () => {
    const created = topic().bumpedAt;
    clock.advance(60_000);
    await call(em, "PUT", `/posts/${postId}.json`, { post: { raw: "Bring food and friends, a quick fix." } });
    assert.equal(topic().bumpedAt, created, "a grace-period edit folds into the version and does not bump");
    await call(em, "PUT", `/t/${topicId}/status.json`, { status: "closed", enabled: "true" });
    clock.advance(301_000);
    const r = await call(em, "PUT", `/posts/${postId}.json`, {
      post: { raw: "A later edit under a closed topic." },
    });
    assert.equal(r.body.post.version, 2);
    assert.equal(topic().bumpedAt, created, "the small-action post is now the last post");
  });

  it("an edit by another user always makes a new version", async () => {
    const mine = await call(em, "POST", "/posts.json", topicBody(), { user: "alice" });
    const r = await call(em, "PUT", `/posts/${mine.body.id}.json`, {
      post: { raw: "Staff tidies up this body text." },
    });
    assert.equal(r.body.post.version, 2);
  });

  it("POST /posts.json with topic_id replies, bumps the topic and refuses closed topics to non-staff", async () => {
    clock.advance(60_000);
    const r = await call(
      em,
      "POST",
      "/posts.json",
      { topic_id: topicId, raw: "Count me in, I will bring a cake." },
      { user: "alice" },
    );
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.post_number, 2);
    assert.equal(topic().bumpedAt, new Date(clock.now()).toISOString());
    await call(em, "PUT", `/t/${topicId}/status.json`, { status: "closed", enabled: "true" });
    clock.advance(60_000);
    const closed = await call(
      em,
      "POST",
      "/posts.json",
      { topic_id: topicId, raw: "One more reply after closing." },
      { user: "alice" },
    );
    assert.equal(closed.status, 422);
    assert.deepEqual(closed.body, {
      action: "create_post",
      errors: [
        "Something has gone wrong. Perhaps this topic was closed or deleted while you were looking at it?",
      ],
    });
    assert.equal(
      (await call(em, "POST", "/posts.json", { topic_id: topicId, raw: "Staff may still post here." }))
        .status,
      200,
    );
  });

  it("PUT /posts/:id.json validates the body and 404s a missing post", async () => {
    const r = await call(em, "PUT", `/posts/${postId}.json`, { post: { raw: "Too short text" } });
    assert.equal(r.status, 422);
    assert.deepEqual(r.body, { errors: ["Body is too short (minimum is 20 characters)"] });
    assert.equal(
      (await call(em, "PUT", "/posts/9999.json", { post: { raw: "whatever is long enough" } })).status,
      404,
    );
  });

  it("PUT /t/:id.json updates title, category and tags from top-level params; 403 for a missing topic", async () => {
    const r = await call(em, "PUT", `/t/${topicId}.json`, {
      title: "Harvest festival moved to the hall",
      category_id: 4,
      tags: ["harvest", "indoor"],
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.basic_topic, {
      id: topicId,
      title: "Harvest festival moved to the hall",
      fancy_title: "Harvest festival moved to the hall",
      slug: "harvest-festival-moved-to-the-hall",
      posts_count: 1,
    });
    assert.deepEqual(
      r.body.tags.map((t: { name: string }) => t.name),
      ["harvest", "indoor"],
    );
    assert.equal(topic().categoryId, 4);
    assert.equal(topic().posts[0]?.version, 1, "inside the grace period the revision is folded");
    clock.advance(301_000);
    await call(em, "PUT", `/t/${topicId}.json`, { title: "Harvest festival moved to the barn" });
    assert.equal(topic().posts[0]?.version, 2);
    assert.equal(topic().bumpedAt, new Date(clock.now()).toISOString());
    const byId = await call(em, "PUT", `/t/${topicId}.json`, { tags: [{ id: 1 }] });
    assert.deepEqual(
      byId.body.tags.map((t: { name: string }) => t.name),
      ["harvest"],
      "tags may be sent as {id} objects",
    );
    const cleared = await call(em, "PUT", `/t/${topicId}.json`, { tags: [] });
    assert.equal(cleared.status, 200);
    assert.deepEqual(topic().tags, []);
    const missing = await call(em, "PUT", "/t/9999.json", { title: "Whatever the new title is" });
    assert.equal(missing.status, 403);
    assert.deepEqual(missing.body, {
      errors: ["You are not permitted to view the requested resource."],
      error_type: "invalid_access",
    });
    const dupe = await call(em, "PUT", `/t/${topicId}.json`, { title: "About the Events category" });
    assert.deepEqual(dupe.body, { errors: ["Title has already been used"] });
  });

  it("PUT /t/:id/status adds small-action posts for effective changes only", async () => {
    const r = await call(em, "PUT", `/t/${topicId}/status.json`, { status: "closed", enabled: "true" });
    assert.deepEqual(r.body, { success: "OK", topic_status_update: null });
    await call(em, "PUT", `/t/${topicId}/status.json`, { status: "closed", enabled: "true" });
    await call(em, "PUT", `/t/${topicId}/status.json`, { status: "visible", enabled: "false" });
    await call(em, "PUT", `/t/${topicId}/status.json`, { status: "archived", enabled: "true" });
    // only the string "true" enables; a JSON true is taken as false (no change here), a JSON false is blank
    await call(em, "PUT", `/t/${topicId}/status.json`, { status: "visible", enabled: true });
    const blank = await call(em, "PUT", `/t/${topicId}/status.json`, { status: "visible", enabled: false });
    assert.equal(blank.status, 400);
    const t = topic();
    assert.equal(t.closed, true);
    assert.equal(t.visible, false);
    assert.equal(t.archived, true);
    assert.deepEqual(
      t.posts.map((p) => p.actionCode ?? null),
      [null, "closed.enabled", "visible.disabled", "archived.enabled"],
    );
    const view = await call(em, "GET", `/t/${topicId}.json`);
    assert.equal(view.body.post_stream.posts[1].action_code, "closed.enabled");
    assert.equal(view.body.highest_post_number, 4);
    assert.equal(
      (await call(em, "PUT", "/t/9999/status.json", { status: "closed", enabled: "true" })).status,
      403,
    );
    const bad = await call(em, "PUT", `/t/${topicId}/status.json`, { status: "sticky", enabled: "true" });
    assert.deepEqual(bad.body, {
      errors: ["You supplied invalid parameters to the request: status"],
      error_type: "invalid_parameters",
    });
    assert.equal(
      (
        await call(
          em,
          "PUT",
          `/t/${topicId}/status.json`,
          { status: "closed", enabled: "false" },
          { user: "alice" },
        )
      ).status,
      403,
    );
  });

  it("DELETE /t/:id.json soft-deletes; a missing topic gets the 422 body", async () => {
    const r = await call(em, "DELETE", `/t/${topicId}.json`);
    assert.equal(r.status, 200);
    assert.equal(r.text, "");
    assert.ok(topic().deletedAt);
    assert.equal(
      em.topics().some((t) => t.id === topicId),
      false,
    );
    assert.equal((await call(em, "GET", `/t/${topicId}.json`, undefined, { user: "alice" })).status, 404);
    const staffView = await call(em, "GET", `/t/${topicId}.json`);
    assert.equal(staffView.status, 200);
    assert.ok(staffView.body.deleted_at);
    const again = await call(em, "DELETE", `/t/${topicId}.json`);
    assert.equal(again.status, 422);
    assert.deepEqual(again.body, {
      errors: ["There was an error deleting that topic. Please contact the site's administrator."],
    });
    const recovered = await call(em, "PUT", `/t/${topicId}/recover.json`);
    assert.equal(recovered.status, 200);
    assert.equal(topic().deletedAt, null);
    assert.equal((await call(em, "GET", "/t/external_id/ics-harvest-1.json")).status, 301);
  });

  it("PUT /t/:id/reset-bump-date restores bumped_at to the last post's creation time", async () => {
    const created = topic().createdAt;
    clock.advance(600_000);
    await call(em, "PUT", `/posts/${postId}.json`, {
      post: { raw: "An edit that bumps the topic forward." },
    });
    assert.notEqual(topic().bumpedAt, created);
    const r = await call(em, "PUT", `/t/${topicId}/reset-bump-date.json`);
    assert.equal(r.status, 200);
    assert.equal(topic().bumpedAt, created);
  });
});
