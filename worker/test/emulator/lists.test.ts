import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../emulator/index.ts";
import { startEmulator } from "../../emulator/index.ts";
import { call } from "./helpers.ts";

describe("topic lists", () => {
  let em: Emulator;
  before(async () => {
    em = await startEmulator({ adminRequestsPerMinute: null });
    for (let i = 0; i < 35; i++) {
      em.createTopicAs("alice", {
        title: `Weekly meetup number ${i} downtown`,
        raw: "See you at the usual place, bring ideas.",
        category: i % 2 ? 4 : 3,
        tags: i < 3 ? ["weekly"] : [],
        createdAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      });
    }
  });
  after(() => em.close());

  const titles = (body: { topic_list: { topics: Array<{ title: string }> } }) =>
    body.topic_list.topics.map((t) => t.title);

  it("/latest.json pages from 0 in thirties with more_topics_url only on full pages", async () => {
    const p0 = await call(em, "GET", "/latest.json");
    assert.equal(p0.body.topic_list.topics.length, 30);
    assert.equal(p0.body.topic_list.more_topics_url, "/latest?page=1");
    assert.equal(titles(p0.body)[0], "Weekly meetup number 34 downtown", "newest bump first");
    const p1 = await call(em, "GET", "/latest.json?page=1");
    assert.equal(p1.body.topic_list.topics.length, 10, "35 topics + 5 category definitions");
    assert.equal(p1.body.topic_list.more_topics_url, undefined);
    assert.ok(titles(p1.body).includes("About the Events category"));
  });

  it("/c/:slug/:id.json includes subcategories and pins the definition topic; wrong slugs redirect", async () => {
    const r = await call(em, "GET", "/c/events/3.json");
    assert.equal(r.status, 200);
    assert.equal(titles(r.body)[0], "About the Events category");
    assert.ok(
      titles(r.body).includes("Weekly meetup number 33 downtown"),
      "Meetups is a subcategory of Events",
    );
    assert.equal(r.body.topic_list.more_topics_url, "/c/events/3?page=1");
    const wrong = await call(em, "GET", "/c/wrong/3.json?page=1");
    assert.equal(wrong.status, 301);
    assert.equal(wrong.headers.get("location"), "/c/events/3.json?page=1");
    const byId = await call(em, "GET", "/c/4.json");
    assert.equal(byId.headers.get("location"), "/c/events/meetups/4.json");
    assert.equal((await call(em, "GET", "/c/events/meetups/4.json")).status, 200);
    assert.equal((await call(em, "GET", "/c/nope/99.json")).status, 404);
  });

  it("/tag/:tag.json lists tagged topics", async () => {
    const r = await call(em, "GET", "/tag/weekly.json");
    assert.deepEqual(titles(r.body).sort(), [
      "Weekly meetup number 0 downtown",
      "Weekly meetup number 1 downtown",
      "Weekly meetup number 2 downtown",
    ]);
    assert.equal(r.body.topic_list.topics[0].tags[0].name, "weekly");
    assert.equal((await call(em, "GET", "/tag/unknown.json")).status, 404);
  });

  it("hides deleted topics from everyone and unlisted ones from non-staff", async () => {
    const all = em.topics();
    const gone = all.find((t) => t.title === "Weekly meetup number 34 downtown")!;
    const hidden = all.find((t) => t.title === "Weekly meetup number 33 downtown")!;
    await call(em, "DELETE", `/t/${gone.id}.json`);
    await call(em, "PUT", `/t/${hidden.id}/status.json`, { status: "visible", enabled: "false" });
    const staff = titles((await call(em, "GET", "/latest.json?per_page=100")).body);
    const alice = titles(
      (await call(em, "GET", "/latest.json?per_page=100", undefined, { user: "alice" })).body,
    );
    assert.ok(!staff.includes(gone.title) && !alice.includes(gone.title));
    assert.ok(staff.includes(hidden.title));
    assert.ok(!alice.includes(hidden.title));
    assert.ok(!alice.includes("About the Staff category"), "read-restricted category hidden");
  });
});
