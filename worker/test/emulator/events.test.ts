import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Emulator } from "../../emulator/index.ts";
import { startEmulator } from "../../emulator/index.ts";
import { call, fakeClock, topicBody } from "./helpers.ts";

const clock = fakeClock();
const event = (attrs: string, body = "A description of the evening.") =>
  `[event ${attrs}]\n${body}\n[/event]`;

describe("calendar plugin events", () => {
  let em: Emulator;
  before(async () => {
    em = await startEmulator({ adminRequestsPerMinute: null, calendarPlugin: true, now: clock.now });
  });
  beforeEach(() => {
    em.reset();
    clock.advance(3_600_000);
  });
  after(() => em.close());

  const create = (raw: string, user = "system", category = 4) =>
    call(em, "POST", "/posts.json", topicBody({ raw, category }), { user });

  it("creates an event record whose id is the first post id", async () => {
    const r = await create(
      event(
        'start="2026-06-01 18:00" end="2026-06-01 20:30" timezone="Europe/Berlin" name="Summer concert" location="Park"',
      ),
    );
    assert.equal(r.status, 200, r.text);
    assert.match(r.body.cooked, /class="discourse-post-event" data-start="2026-06-01 18:00"/);
    const e = await call(em, "GET", `/discourse-post-event/events/${r.body.id}.json`);
    assert.equal(e.status, 200);
    assert.equal(e.body.event.starts_at, "2026-06-01T18:00:00.000+02:00", "in the event's zone");
    assert.equal(e.body.event.ends_at, "2026-06-01T20:30:00.000+02:00");
    assert.equal(e.body.event.duration, "02:30:00");
    assert.equal(e.body.event.name, "Summer concert");
    assert.equal(e.body.event.location, "Park");
    assert.equal(e.body.event.post.topic.id, r.body.topic_id);
    assert.equal(e.body.event.status, "standalone");
    assert.equal(e.body.event.is_standalone, true);
    assert.equal(e.body.event.creator.username, "system");
  });

  it("derives rrule as the plugin's RRuleConfigurator does, quirks included", async () => {
    const rrule = async (attrs: string) => {
      const r = await create(event(`start="2026-06-15 18:00" timezone="Europe/Berlin" ${attrs}`));
      assert.equal(r.status, 200, r.text);
      return (await call(em, "GET", `/discourse-post-event/events/${r.body.id}.json`)).body.event.rrule;
    };
    assert.equal(
      await rrule('recurrence="every_month"'),
      "DTSTART:20260615T160000Z\nRRULE:FREQ=MONTHLY;BYDAY=3MO;INTERVAL=1;WKST=MO",
    );
    clock.advance(60_000);
    assert.equal(
      await rrule('recurrence="every_two_weeks"'),
      "DTSTART:20260615T160000Z\nRRULE:FREQ=WEEKLY;INTERVAL=2;WKST=MO",
    );
    clock.advance(60_000);
    // UNTIL is the local time with a literal Z, and the empty segment after "INTERVAL=4;" survives as "="
    assert.equal(
      await rrule('recurrence="every_four_weeks" recurrenceUntil="2026-07-01 00:00"'),
      "DTSTART:20260615T160000Z\nRRULE:FREQ=WEEKLY;INTERVAL=4;=;UNTIL=20260701T000000Z;WKST=MO",
    );
    clock.advance(60_000);
    assert.equal(
      await rrule('recurrence="every_week" showLocalTime="true"'),
      "DTSTART:20260615T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO;INTERVAL=1;WKST=MO",
    );
  });

  it("lists events in the basic shape unless include_details=true", async () => {
    const r = await create(event('start="2026-06-01 18:00" recurrence="every_week" location="Hall"'));
    const basic = (await call(em, "GET", "/discourse-post-event/events.json")).body.events[0];
    assert.deepEqual(Object.keys(basic).sort(), [
      "all_day",
      "category_id",
      "custom_fields",
      "ends_at",
      "id",
      "name",
      "occurrences",
      "post",
      "recurrence",
      "recurrence_until",
      "rrule",
      "show_local_time",
      "starts_at",
      "timezone",
    ]);
    assert.equal(basic.rrule, "DTSTART:20260601T180000Z\nRRULE:FREQ=WEEKLY;BYDAY=MO;INTERVAL=1;WKST=MO");
    assert.equal(basic.ends_at, "2026-06-01T19:00:00.000Z", "no end: start + 1 hour");
    assert.deepEqual(
      basic.occurrences.slice(0, 2).map((o: { starts_at: string }) => o.starts_at),
      ["2026-06-01T18:00:00.000Z", "2026-06-08T18:00:00.000Z"],
    );
    assert.deepEqual(basic.post.topic.tags, []);
    assert.equal(basic.post.url, `/t/${r.body.topic_slug}/${r.body.topic_id}/1`);
    const detailed = (await call(em, "GET", "/discourse-post-event/events.json?include_details=true")).body
      .events[0];
    assert.equal(detailed.location, "Hall");
    assert.equal(detailed.is_public, false);
    assert.equal(detailed.creator.username, "system");
  });

  it("rejects invalid events with 422 post errors", async () => {
    const cases: Array<[string, string]> = [
      ['start="not a date"', "An event requires a valid start date."],
      ['start="2026-06-01 18:00" end="2026-06-01 17:00"', "An event must end after it starts."],
      ['start="2026-06-01 18:00" timezone="Mars/Olympus"', "Timezone Mars/Olympus is not valid."],
      ['start="2026-06-01 18:00" name="abc"', "Event name length must be between 5 and 255 characters."],
      [
        'start="2026-06-01 18:00" recurrence="every_year"',
        "Invalid recurrence, valid values are: every_day, every_month, every_weekday, every_week, every_two_weeks, every_four_weeks.",
      ],
    ];
    for (const [attrs, message] of cases) {
      const r = await create(event(attrs));
      assert.equal(r.status, 422, attrs);
      assert.deepEqual(r.body, { action: "create_post", errors: [message] });
    }
    const two = await create(`${event('start="2026-06-01"')}\n\n${event('start="2026-06-02"')}`);
    assert.deepEqual(two.body.errors, ["A post can only have one event."]);
    const alice = await create(event('start="2026-06-01 18:00"'), "alice");
    assert.deepEqual(alice.body.errors, ["Current user is not allowed to create events."]);
  });

  it("lists events filtered by category, subcategories, window and limit", async () => {
    await create(event('start="2026-05-01 10:00"'), "system", 3);
    await create(event('start="2026-06-01 10:00"'), "system", 4);
    await create(event('start="2026-07-01 10:00" end="2026-07-03 10:00"'), "system", 5);
    await create(event('start="2026-08-01 10:00" closed="true"'), "system", 5);
    const list = async (q: string) =>
      (await call(em, "GET", `/discourse-post-event/events.json${q}`)).body.events.map(
        (e: { starts_at: string }) => e.starts_at.slice(0, 10),
      );
    assert.deepEqual(
      await list(""),
      ["2026-05-01", "2026-06-01", "2026-07-01"],
      "closed events are left out",
    );
    assert.deepEqual(await list("?include_closed=true"), [
      "2026-05-01",
      "2026-06-01",
      "2026-07-01",
      "2026-08-01",
    ]);
    assert.deepEqual(await list("?category_id=3"), ["2026-05-01"]);
    assert.deepEqual(await list("?category_id=3&include_subcategories=true"), ["2026-05-01", "2026-06-01"]);
    assert.deepEqual(await list("?after=2026-07-02T00:00:00Z"), [], "a one-off event counts by its start");
    assert.deepEqual(await list("?after=2026-07-02T00:00:00Z&include_ongoing=true"), ["2026-07-01"]);
    assert.deepEqual(
      await list("?before=2026-06-01T08:00:00Z"),
      ["2026-05-01"],
      "before is exclusive of later starts",
    );
    assert.equal((await call(em, "GET", "/discourse-post-event/events.json?after=soon")).status, 400);
    assert.equal((await call(em, "GET", "/discourse-post-event/events.json?limit=0")).status, 400);
    assert.deepEqual(await list("?before=2026-05-15T00:00:00Z"), ["2026-05-01"]);
    assert.deepEqual(await list("?limit=1&order=desc&include_closed=true"), ["2026-08-01"]);
  });

  it("updates the event when the post is edited and removes it with the topic", async () => {
    const r = await create(event('start="2026-06-01 18:00"'));
    clock.advance(400_000);
    const edit = await call(em, "PUT", `/posts/${r.body.id}.json`, {
      post: { raw: event('start="2026-06-02 19:00" name="Moved concert"') },
    });
    assert.equal(edit.status, 200, edit.text);
    const e = await call(em, "GET", `/discourse-post-event/events/${r.body.id}.json`);
    assert.equal(e.body.event.starts_at, "2026-06-02T19:00:00.000Z");
    assert.equal(e.body.event.name, "Moved concert");
    await call(em, "DELETE", `/t/${r.body.topic_id}.json`);
    assert.equal((await call(em, "GET", `/discourse-post-event/events/${r.body.id}.json`)).status, 404);
    assert.equal((await call(em, "GET", "/discourse-post-event/events.json")).body.events.length, 0);
    await call(em, "PUT", `/t/${r.body.topic_id}/recover.json`);
    assert.equal((await call(em, "GET", `/discourse-post-event/events/${r.body.id}.json`)).status, 200);
  });
});
