import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Emulator } from "../../emulator/index.ts";
import { startEmulator } from "../../emulator/index.ts";
import { call, fakeClock, topicBody } from "./helpers.ts";

const clock = fakeClock();

describe("POST /posts.json", () => {
  let em: Emulator;
  before(async () => {
    em = await startEmulator({ adminRequestsPerMinute: null, now: clock.now });
  });
  beforeEach(() => {
    em.reset();
    clock.advance(3_600_000);
  });
  after(() => em.close());

  const create = (body: Record<string, unknown> | string, user = "system") =>
    call(em, "POST", "/posts.json", body, { user });
  const errorsOf = async (body: Record<string, unknown>, user = "system") => {
    const r = await create(body, user);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.action, "create_post");
    return r.body.errors as string[];
  };

  it("returns the bare first post and stores the topic", async () => {
    const r = await create(topicBody({ title: "Board games night at the library", category: "3" }));
    assert.equal(r.status, 200);
    assert.equal(r.body.post_number, 1);
    assert.equal(r.body.topic_slug, "board-games-night-at-the-library");
    assert.equal(r.body.post_url, `/t/board-games-night-at-the-library/${r.body.topic_id}/1`);
    const t = em.topics().find((x) => x.id === r.body.topic_id);
    assert.equal(t?.categoryId, 3);
    assert.equal(t?.posts[0]?.version, 1);
  });

  it("accepts form-encoded bodies with tags[] and JSON tags as {name} objects", async () => {
    const form = new URLSearchParams({
      title: "Form encoded topic about the river",
      raw: "A body long enough to pass validation.",
      category: "5",
    });
    form.append("tags[]", "river");
    form.append("tags[]", "boats");
    const r1 = await create(form.toString());
    assert.equal(r1.status, 200, r1.text);
    const r2 = await create(topicBody({ tags: [{ name: "Lake" }, "hills"] }));
    assert.equal(r2.status, 200);
    const byId = (id: number) => em.topics().find((t) => t.id === id)?.tags;
    assert.deepEqual(byId(r1.body.topic_id), ["river", "boats"]);
    assert.deepEqual(byId(r2.body.topic_id), ["lake", "hills"]);
  });

  it("rejects a non-numeric or unknown category with 400 and a missing one with 422", async () => {
    for (const category of ["events", 99]) {
      const r = await create(topicBody({ category }));
      assert.equal(r.status, 400);
      assert.deepEqual(r.body, {
        errors: ["You supplied invalid parameters to the request: category"],
        error_type: "invalid_parameters",
      });
    }
    const body = topicBody();
    delete body["category"];
    assert.deepEqual(await errorsOf(body), ["Category can't be blank"]);
    assert.deepEqual(await errorsOf(topicBody({ category: 1 })), ["Category is reserved"]);
    em.settings.allow_uncategorized_topics = true;
    assert.equal((await create(topicBody({ category: 1 }))).status, 200);
  });

  it("rejects a missing raw with 400", async () => {
    const r = await create({ title: "A title that is long enough", category: 3 });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { errors: ["param is missing or the value is empty or invalid: raw"] });
  });

  it("applies the title length and quality rules", async () => {
    assert.deepEqual(await errorsOf(topicBody({ title: "   " })), [
      "Title can't be blank",
      "Title seems unclear, most of the words contain the same letters over and over?",
    ]);
    assert.deepEqual(await errorsOf(topicBody({ title: "Short title!" }), "alice"), [
      "Title is too short (minimum is 15 characters)",
    ]);
    assert.deepEqual(await errorsOf(topicBody({ title: "aaaa bbbb aaaa bbbb aaaa" })), [
      "Title seems unclear, most of the words contain the same letters over and over?",
    ]);
    assert.deepEqual(await errorsOf(topicBody({ title: `Word ${"abcdefghij".repeat(4)} is long` })), [
      "Title seems unclear, one or more words is very long?",
    ]);
    assert.deepEqual(await errorsOf(topicBody({ title: "x".repeat(256) })), [
      "Title is too long (maximum is 255 characters)",
      "Title seems unclear, most of the words contain the same letters over and over?",
    ]);
    assert.deepEqual(await errorsOf(topicBody({ title: "@# $% ^& *( )+ =- ~<> {}" })), [
      "Title seems unclear, is it a complete sentence?",
    ]);
  });

  it("lowercases an all-caps title when prettifying, and rejects it when not", async () => {
    const r = await create(topicBody({ title: "BIG SUMMER PARTY AT THE LAKE!!!" }));
    assert.equal(r.status, 200);
    assert.equal(em.topics().at(-1)?.title, "Big summer party at the lake!");
    em.settings.title_prettify = false;
    assert.deepEqual(await errorsOf(topicBody({ title: "ANOTHER SUMMER PARTY AT THE LAKE" })), [
      "Title seems unclear, did you mean to enter it in ALL CAPS?",
    ]);
  });

  it("prettifies titles: repeated marks, first letter, trailing periods, spaces, zero-width spaces", async () => {
    const cases: Array<[string, string]> = [
      ["  picnic\u200b  in the   park ??? ", "Picnic in the park?"],
      ["A walk by the river...", "A walk by the river"],
      ["iPhone users meet in the park", "iPhone users meet in the park"],
      ["Wow!!! what a   party", "Wow! what a party"],
    ];
    for (const [sent, stored] of cases) {
      const r = await create(topicBody({ title: sent }));
      assert.equal(r.status, 200, r.text);
      assert.equal(em.topics().at(-1)?.title, stored);
    }
  });

  it("rejects duplicate titles case-insensitively unless allowed", async () => {
    await create(topicBody({ title: "Autumn fair in the village" }));
    assert.deepEqual(await errorsOf(topicBody({ title: "AUTUMN fair in the Village" })), [
      "Title has already been used",
    ]);
    em.settings.allow_duplicate_topic_titles = true;
    assert.equal((await create(topicBody({ title: "Autumn fair in the village" }))).status, 200);
  });

  it("measures body length without HTML comments and caps it at 32000 including them", async () => {
    assert.deepEqual(await errorsOf(topicBody({ raw: "Short body <!-- a long hidden comment here -->" })), [
      "Body is too short (minimum is 20 characters)",
    ]);
    // Discourse's comment pattern has no multiline flag: a comment spanning lines still counts
    assert.equal((await create(topicBody({ raw: "Short body <!--\nspans\nlines -->" }))).status, 200);
    assert.deepEqual(await errorsOf(topicBody({ raw: "aaaa" })), [
      "Body is too short (minimum is 20 characters)",
      "Body seems unclear, is it a complete sentence?",
    ]);
    const long = `A body with a long comment. <!-- ${"x".repeat(32000)} -->`;
    assert.deepEqual(await errorsOf(topicBody({ raw: long })), [
      `Body is limited to 32000 characters; you entered ${long.length}.`,
    ]);
  });

  it("rejects a low-entropy body", async () => {
    assert.deepEqual(await errorsOf(topicBody({ raw: "aaaaa bbbbb aaaaa bbbbb aaaaa" })), [
      "Body seems unclear, is it a complete sentence?",
    ]);
  });

  it("rejects more than max_tags_per_topic tags before anything else", async () => {
    const r = await create(topicBody({ tags: ["a1", "b2", "c3", "d4", "e5", "f6"] }));
    assert.equal(r.status, 422);
    assert.deepEqual(r.body, { errors: ["You can only apply up to 5 tags to a topic."] });
  });

  it("normalises tag names and silently cuts them at 20 characters", async () => {
    const r = await create(
      topicBody({ tags: ["Open Air Cinema!", "a/b?c#d", "abcdefghijklmnopqrstuvwxyz", "x~y 🎉", "--a--b"] }),
    );
    assert.equal(r.status, 200);
    assert.deepEqual(em.topics().at(-1)?.tags, [
      "open-air-cinema",
      "abcd",
      "abcdefghijklmnopqrst",
      "x~y-",
      "-a-b",
    ]);
  });

  it("drops unknown tags for users who may not create tags, keeps existing ones", async () => {
    await create(topicBody({ tags: ["existing"] }));
    const r = await create(topicBody({ tags: ["EXISTING", "brand-new"] }), "alice");
    assert.equal(r.status, 200);
    assert.deepEqual(em.topics().at(-1)?.tags, ["existing"]);
  });

  it("validates external_id format, length and case-insensitive uniqueness that survives deletion", async () => {
    assert.deepEqual(await errorsOf(topicBody({ external_id: "has.dot:colon" })), ["External is invalid"]);
    assert.deepEqual(await errorsOf(topicBody({ external_id: "a".repeat(51) })), [
      "External is too long (maximum is 50 characters)",
    ]);
    assert.deepEqual(await errorsOf(topicBody({ external_id: `${"a".repeat(50)}.` })), [
      "External is too long (maximum is 50 characters)",
      "External is invalid",
    ]);
    const first = await create(topicBody({ external_id: "ics-Event_1" }));
    assert.equal(first.status, 200);
    assert.deepEqual(await errorsOf(topicBody({ external_id: "ICS-event_1" })), [
      "External has already been taken",
    ]);
    await call(em, "DELETE", `/t/${first.body.topic_id}.json`);
    assert.deepEqual(await errorsOf(topicBody({ external_id: "ics-event_1" })), [
      "External has already been taken",
    ]);
  });

  it("normalises raw whitespace before storing", async () => {
    const r = await create(
      topicBody({ raw: "Unusual\u00a0spaces\u2003here and a NUL\u0000 byte too.  \n\n" }),
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.raw, "Unusual spaces here and a NUL byte too.");
  });

  it("replays an identical API request within 120 s without creating a second topic", async () => {
    const body = topicBody();
    const a = await create(body);
    clock.advance(119_000);
    const b = await create(body);
    assert.equal(b.text, a.text);
    const topicsBefore = em.topics().length;
    clock.advance(2_000);
    const c = await create(body);
    assert.equal(c.status, 422, "after the memo expires the duplicate title is rejected");
    assert.equal(em.topics().length, topicsBefore);
    const bad = { ...topicBody(), title: "Short title!" };
    const failed = await create(bad, "alice");
    em.settings.min_topic_title_length = 5;
    const replay = await create(bad, "alice");
    assert.equal(replay.status, 422, "the memoised error is replayed although the title would now pass");
    assert.equal(replay.text, failed.text);
  });

  it("limits non-staff to one topic per 15 s, 20 per day, and no repeated bodies", async () => {
    assert.equal((await create(topicBody(), "alice")).status, 200);
    const limited = await create(topicBody(), "alice");
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error_type, "rate_limit");
    assert.equal(limited.body.extras.wait_seconds, 15);
    assert.equal(
      limited.body.errors[0],
      "You’re creating topics a bit too quickly. Please wait 15 seconds before trying again.",
    );
    assert.equal((await create(topicBody(), "system")).status, 200, "staff are exempt");
    clock.advance(15_000);
    const same = topicBody({ raw: "Exactly the same body text as before." });
    assert.equal((await create(same, "alice")).status, 200);
    clock.advance(15_000);
    assert.deepEqual(await errorsOf({ ...topicBody(), raw: same["raw"] }, "alice"), [
      "Body is too similar to what you recently posted",
    ]);
    for (let i = 2; i < 20; i++) {
      clock.advance(15_000);
      assert.equal((await create(topicBody(), "alice")).status, 200);
    }
    clock.advance(15_000);
    const perDay = await create(topicBody(), "alice");
    assert.equal(perDay.status, 429);
    assert.ok(perDay.body.extras.wait_seconds > 80_000);
  });

  it("honours created_at for the topic and its bump date", async () => {
    const r = await create(topicBody({ created_at: "2025-05-01T10:00:00Z" }));
    const t = em.topics().find((x) => x.id === r.body.topic_id);
    assert.equal(t?.createdAt, "2025-05-01T10:00:00.000Z");
    assert.equal(t?.bumpedAt, "2025-05-01T10:00:00.000Z");
  });
});
