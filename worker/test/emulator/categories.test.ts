import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../emulator/index.ts";
import { startEmulator } from "../../emulator/index.ts";
import { call, fakeClock } from "./helpers.ts";

interface Cat {
  id: number;
  slug: string;
  parent_category_id?: number;
  read_restricted: boolean;
  permission: number | null;
  can_edit?: boolean;
  has_children: boolean;
  topic_count: number;
  post_count: number;
  topic_url: string | null;
  topics_day?: number;
  topics_week?: number;
  topics_all_time?: number;
  subcategory_count?: number | null;
  subcategory_ids?: number[];
  subcategory_list?: Cat[];
  is_uncategorized?: boolean;
}

const DAY = 86_400_000;

describe("/site.json and /categories.json", () => {
  let em: Emulator;
  const clock = fakeClock();
  let deletedId: number;

  before(async () => {
    em = await startEmulator({ adminRequestsPerMinute: null, now: clock.now });
    const at = (daysAgo: number) => new Date(clock.now() - daysAgo * DAY).toISOString();
    em.createTopicAs("alice", {
      title: "Meetup at the old harbour tonight",
      raw: "We gather by the lighthouse at seven.",
      category: 4,
      createdAt: at(0.5),
    });
    em.createTopicAs("alice", {
      title: "Meetup in the botanical garden",
      raw: "Meet at the glasshouse entrance at noon.",
      category: 4,
      createdAt: at(3),
    });
    em.createTopicAs("alice", {
      title: "Events calendar for the spring season",
      raw: "All the spring events are listed below.",
      category: 3,
      createdAt: at(100),
    });
    const gone = em.createTopicAs("alice", {
      title: "A cancelled event that was deleted",
      raw: "This one was removed by the organisers.",
      category: 3,
      createdAt: at(1),
    });
    deletedId = gone.id;
    const del = await call(em, "DELETE", `/t/${deletedId}.json`);
    assert.equal(del.status, 200, del.text);
  });
  after(() => em.close());

  const site = async (user: string | null) => {
    const r = await call(
      em,
      "GET",
      "/site.json",
      undefined,
      user === null ? { user: null, key: null } : { user },
    );
    assert.equal(r.status, 200, r.text);
    return r.body.categories as Cat[];
  };
  const list = async (query: string, user: string | null = "system") => {
    const r = await call(
      em,
      "GET",
      `/categories.json${query}`,
      undefined,
      user === null ? { user: null, key: null } : { user },
    );
    assert.equal(r.status, 200, r.text);
    return r.body.category_list as { can_create_category: boolean; categories: Cat[] };
  };

  it("/site.json lists every category for an admin, flat, with parents, privacy and permission", async () => {
    const cats = await site("system");
    assert.deepEqual(
      cats.map((c) => [c.id, c.slug, c.parent_category_id, c.read_restricted, c.permission, c.can_edit]),
      [
        [1, "uncategorized", undefined, false, 1, true],
        [2, "staff", undefined, true, 1, true],
        [3, "events", undefined, false, 1, true],
        [4, "meetups", 3, false, 1, true],
        [5, "general", undefined, false, 1, true],
      ],
    );
    const events = cats.find((c) => c.id === 3)!;
    assert.equal(events.has_children, true);
    assert.equal(events.topic_url, "/t/about-the-events-category/3");
    assert.equal(cats.find((c) => c.id === 4)!.has_children, false);
  });

  it("/site.json counts live, listed topics besides the About topic, and their posts", async () => {
    const cats = await site("system");
    const byId = new Map(cats.map((c) => [c.id, c]));
    assert.equal(byId.get(4)!.topic_count, 2);
    assert.equal(byId.get(4)!.post_count, 2);
    assert.equal(byId.get(3)!.topic_count, 1, "the deleted topic and the About topic do not count");
    assert.equal(byId.get(5)!.topic_count, 0);
  });

  it("/site.json hides read-restricted categories from non-staff and anonymous viewers", async () => {
    for (const viewer of ["alice", null]) {
      const cats = await site(viewer);
      assert.deepEqual(
        cats.map((c) => c.id),
        [1, 3, 4, 5],
        `viewer ${viewer ?? "anonymous"}`,
      );
      assert.ok(cats.every((c) => c.can_edit === false));
    }
    const mod = await site("mod");
    assert.ok(mod.some((c) => c.id === 2 && c.read_restricted));
  });

  it("/site.json sets permission only where the viewer may create topics", async () => {
    const alice = new Map((await site("alice")).map((c) => [c.id, c.permission]));
    assert.equal(
      alice.get(1),
      null,
      "Uncategorized is closed to non-staff without allow_uncategorized_topics",
    );
    assert.equal(alice.get(3), 1);
    const anonymous = await site(null);
    assert.ok(anonymous.every((c) => c.permission === null));
    em.settings.allow_uncategorized_topics = true;
    try {
      assert.equal((await site("alice")).find((c) => c.id === 1)!.permission, 1);
    } finally {
      em.settings.allow_uncategorized_topics = false;
    }
  });

  it("/categories.json lists top-level categories with subcategory ids, without Uncategorized", async () => {
    const { categories, can_create_category } = await list("");
    assert.equal(can_create_category, true);
    assert.deepEqual(
      categories.map((c) => [c.id, c.subcategory_ids, c.subcategory_count, c.subcategory_list]),
      [
        [2, [], null, undefined],
        [3, [4], 1, undefined],
        [5, [], null, undefined],
      ],
    );
    em.settings.allow_uncategorized_topics = true;
    try {
      const again = await list("");
      assert.equal(again.categories[0]!.id, 1);
      assert.equal(again.categories[0]!.is_uncategorized, true);
    } finally {
      em.settings.allow_uncategorized_topics = false;
    }
  });

  it("/categories.json nests subcategories only for include_subcategories=true", async () => {
    const nested = await list("?include_subcategories=true");
    const events = nested.categories.find((c) => c.id === 3)!;
    assert.deepEqual(
      events.subcategory_list!.map((c) => [c.id, c.parent_category_id, c.topic_count, c.subcategory_list]),
      [[4, 3, 2, []]],
    );
    const other = await list("?include_subcategories=1");
    assert.equal(other.categories.find((c) => c.id === 3)!.subcategory_list, undefined);
  });

  it("/categories.json sums topic windows over the category and its subcategories", async () => {
    const events = (await list("")).categories.find((c) => c.id === 3)!;
    assert.equal(events.topics_all_time, 3, "1 in Events + 2 in Meetups");
    assert.equal(events.topics_day, 1);
    assert.equal(events.topics_week, 2);
  });

  it("/categories.json for non-staff: no private categories, no can_edit", async () => {
    const { categories, can_create_category } = await list("?include_subcategories=true", "alice");
    assert.equal(can_create_category, false);
    assert.deepEqual(
      categories.map((c) => c.id),
      [3, 5],
    );
    assert.ok(categories.every((c) => !("can_edit" in c)));
    assert.deepEqual(
      (await list("", null)).categories.map((c) => c.id),
      [3, 5],
    );
  });
});
