import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../emulator/index.ts";
import { startEmulator } from "../../emulator/index.ts";
import { call } from "./helpers.ts";

describe("GET /search.json", () => {
  let em: Emulator;
  before(async () => {
    em = await startEmulator({ adminRequestsPerMinute: null });
    em.createTopicAs("system", {
      title: "Gardening workshop for beginners",
      raw: 'Learn about planting tomatoes.\n\n<!-- ics-uid: secret-marker -->\n<div data-ics-uid="hiddenattr">Visible words: compost</div>',
      category: 3,
      tags: ["garden", "workshop"],
      createdAt: "2026-01-01T10:00:00Z",
    });
    em.createTopicAs("system", {
      title: "Cycling tour around the lakes",
      raw: "A relaxed ride for cyclists of all levels, with picnic stops.",
      category: 4,
      tags: ["garden"],
      createdAt: "2026-02-01T10:00:00Z",
    });
    em.createTopicAs("system", {
      title: "General chat about cooking",
      raw: "Share your favourite recipes with tomatoes and herbs.",
      category: 5,
    });
  });
  after(() => em.close());

  const search = async (q: string, user = "system") => {
    const r = await call(em, "GET", `/search.json?q=${encodeURIComponent(q)}`, undefined, { user });
    assert.equal(r.status, 200);
    return r.body;
  };
  const topicTitles = (body: { topics: Array<{ title: string }> }) => body.topics.map((t) => t.title).sort();

  it("finds words of cooked text, title, category name and tags, with light stemming", async () => {
    assert.deepEqual(topicTitles(await search("tomato")), [
      "Gardening workshop for beginners",
      "General chat about cooking",
    ]);
    assert.deepEqual(topicTitles(await search("compost")), ["Gardening workshop for beginners"]);
    assert.deepEqual(topicTitles(await search("meetups")), [
      "About the Meetups category",
      "Cycling tour around the lakes",
    ]);
    assert.deepEqual(topicTitles(await search("cyclist ride")), ["Cycling tour around the lakes"]);
    const body = await search("planting");
    assert.equal(body.posts.length, 1);
    assert.match(body.posts[0].blurb, /planting tomatoes/);
    assert.deepEqual(body.grouped_search_result.post_ids, [body.posts[0].id]);
  });

  it("does not index HTML comments or data attributes", async () => {
    assert.equal((await search("secret-marker")).posts.length, 0);
    assert.equal((await search("hiddenattr")).posts.length, 0);
  });

  it("drops words shorter than three characters and rejects a query that short", async () => {
    assert.deepEqual(topicTitles(await search("of tomatoes")), topicTitles(await search("tomatoes")));
    const short = await call(em, "GET", "/search.json?q=of");
    assert.equal(short.status, 400);
    assert.deepEqual(short.body, {
      errors: ["You supplied invalid parameters to the request: q"],
      error_type: "invalid_parameters",
    });
    assert.equal((await call(em, "GET", "/search.json?q=tomatoes&page=x")).status, 400);
  });

  it("supports tags:, #category (with subcategories), category:, in:first, status: and order:latest", async () => {
    assert.deepEqual(topicTitles(await search("tags:garden")), [
      "Cycling tour around the lakes",
      "Gardening workshop for beginners",
    ]);
    assert.deepEqual(topicTitles(await search("tags:garden+workshop")), ["Gardening workshop for beginners"]);
    assert.deepEqual(topicTitles(await search("tags:workshop,nothing")), [
      "Gardening workshop for beginners",
    ]);
    assert.deepEqual(topicTitles(await search("#events")), [
      "About the Events category",
      "About the Meetups category",
      "Cycling tour around the lakes",
      "Gardening workshop for beginners",
    ]);
    assert.deepEqual(topicTitles(await search("tomatoes category:general")), ["General chat about cooking"]);
    const garden = em.topics().find((t) => t.title === "Gardening workshop for beginners")!;
    await call(em, "POST", "/posts.json", {
      topic_id: garden.id,
      raw: "Will there be seedlings to take home?",
    });
    assert.deepEqual(topicTitles(await search("seedlings")), ["Gardening workshop for beginners"]);
    assert.deepEqual(topicTitles(await search("seedlings in:first")), []);
    const cooking = em.topics().find((t) => t.title === "General chat about cooking")!;
    await call(em, "PUT", `/t/${cooking.id}/status.json`, { status: "closed", enabled: "true" });
    assert.deepEqual(topicTitles(await search("tomatoes status:closed")), ["General chat about cooking"]);
    assert.deepEqual(topicTitles(await search("tomatoes status:open")), ["Gardening workshop for beginners"]);
    const latest = await search("tags:garden order:latest");
    assert.deepEqual(
      latest.posts.map((p: { topic_id: number }) => em.topics().find((t) => t.id === p.topic_id)?.title),
      ["Gardening workshop for beginners", "Cycling tour around the lakes"],
      "the reply posted above is the newest matching post",
    );
  });
});
