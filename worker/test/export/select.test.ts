import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chooseEncoding, encodedEtag, isNotModified } from "../../src/export/conditional.ts";
import { resolveCategoryScope, selectPluginEvents, selectRecords } from "../../src/export/select.ts";
import type { CategoryInfo, PluginEvent } from "../../src/export/types.ts";
import { exportConfig, record, timedEvent } from "./fixtures.ts";

const tree: CategoryInfo[] = [
  { id: 3, restricted: false },
  { id: 4, restricted: false, parentId: 3 },
  { id: 6, restricted: true, parentId: 3 },
  { id: 7, restricted: false, parentId: 4 },
  { id: 2, restricted: true },
  { id: 5, restricted: false },
];

describe("resolveCategoryScope", () => {
  it("takes subcategories at any depth but leaves private ones out of a token-less export", () => {
    const scope = resolveCategoryScope(exportConfig({ categoryIds: [3] }), tree);
    assert.deepEqual([...scope.allowed!].sort(), [3, 4, 7]);
    const withToken = resolveCategoryScope(exportConfig({ categoryIds: [3], token: "t" }), tree);
    assert.deepEqual([...withToken.allowed!].sort(), [3, 4, 6, 7]);
    const flat = resolveCategoryScope(exportConfig({ categoryIds: [3], includeSubcategories: false }), tree);
    assert.deepEqual([...flat.allowed!], [3]);
  });

  it("means every public category when none is named, and any category with a token", () => {
    assert.deepEqual([...resolveCategoryScope(exportConfig(), tree).allowed!].sort(), [3, 4, 5, 7]);
    assert.equal(resolveCategoryScope(exportConfig({ token: "t" }), tree).allowed, null);
  });

  it("refuses a token-less export that names a category missing from the tree, but not a token export", () => {
    const scope = resolveCategoryScope(exportConfig({ name: "lost", categoryIds: [3, 9] }), tree);
    assert.deepEqual([...scope.allowed!], []);
    assert.match(
      scope.refusal ?? "",
      /^export "lost" names category 9, which the forum's category list does not show/,
    );
    const withToken = resolveCategoryScope(exportConfig({ categoryIds: [9], token: "t" }), tree);
    assert.equal(withToken.refusal, undefined);
    assert.deepEqual([...withToken.allowed!], [9]);
  });

  it("refuses a token-less export that names a private category", () => {
    const scope = resolveCategoryScope(exportConfig({ name: "board", categoryIds: [5, 2] }), tree);
    assert.equal(scope.refusal, 'export "board" includes private category 2; give it a token to serve it');
    assert.equal(scope.allowed!.size, 0);
  });
});

describe("selectRecords and selectPluginEvents", () => {
  const scope = { allowed: new Set([3]) };
  it("keeps records of the site and scope, tagged when asked, never removed ones", () => {
    const inScope = record(timedEvent("a", "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z", "UTC"), {
      categoryId: 3,
    });
    const removed = record(timedEvent("b", "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z", "UTC"), {
      categoryId: 3,
      state: "removed",
    });
    const otherSite = record(timedEvent("c", "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z", "UTC"), {
      categoryId: 3,
      siteId: "other",
    });
    const outside = record(timedEvent("d", "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z", "UTC"), {
      categoryId: 5,
    });
    const all = [inScope, removed, otherSite, outside];
    assert.deepEqual(selectRecords(all, exportConfig(), scope, null), [inScope]);
    assert.deepEqual(selectRecords(all, exportConfig(), scope, new Set([999])), []);
    assert.deepEqual(selectRecords(all, exportConfig(), scope, new Set([inScope.topicId])), [inScope]);
  });

  it("leaves out private plugin events, ones the worker imported, and ones without the tag", () => {
    const base: PluginEvent = {
      id: 1,
      startsAt: "2026-01-01T10:00:00Z",
      allDay: false,
      status: "public",
      categoryId: 3,
      topicId: 10,
      tags: ["Meetup"],
    };
    const events: PluginEvent[] = [
      base,
      { ...base, id: 2, status: "private", topicId: 11 },
      { ...base, id: 3, topicId: 12 },
      { ...base, id: 4, topicId: 13, tags: [] },
      { ...base, id: 5, topicId: 14, categoryId: 5 },
    ];
    const picked = selectPluginEvents(events, exportConfig({ tags: ["meetup"] }), scope, new Set([12]));
    assert.deepEqual(
      picked.map((e) => e.id),
      [1],
    );
  });
});

describe("HTTP caching decisions", () => {
  it("picks the encoding by q-value and falls back to identity", () => {
    assert.equal(chooseEncoding(undefined), "identity");
    assert.equal(chooseEncoding("gzip, deflate, br"), "br");
    assert.equal(chooseEncoding("br;q=0.2, gzip;q=0.8"), "gzip");
    assert.equal(chooseEncoding("br;q=0, gzip;q=0"), "identity");
    assert.equal(chooseEncoding("*"), "br");
    assert.equal(chooseEncoding("deflate"), "identity");
  });

  it("answers 304 to matching tags of any encoding, weak or listed, and by date only without tags", () => {
    const etag = '"abc"';
    const lm = "Mon, 23 Nov 2026 10:00:00 GMT";
    assert.equal(encodedEtag(etag, "gzip"), '"abc-gzip"');
    assert.ok(isNotModified({ ifNoneMatch: '"abc"' }, etag, lm));
    assert.ok(isNotModified({ ifNoneMatch: 'W/"abc-br"' }, etag, lm));
    assert.ok(isNotModified({ ifNoneMatch: '"x", "abc-gzip"' }, etag, lm));
    assert.ok(isNotModified({ ifNoneMatch: "*" }, etag, lm));
    assert.ok(!isNotModified({ ifNoneMatch: '"abd"', ifModifiedSince: lm }, etag, lm));
    assert.ok(isNotModified({ ifModifiedSince: lm }, etag, lm));
    assert.ok(!isNotModified({ ifModifiedSince: "Mon, 23 Nov 2026 09:59:59 GMT" }, etag, lm));
    assert.ok(!isNotModified({ ifModifiedSince: "yesterday" }, etag, lm));
    assert.ok(!isNotModified({}, etag, lm));
  });
});
