import { test } from "node:test";
import assert from "node:assert/strict";
import { normalizeTag, normalizeTags } from "../../src/sync/tags.ts";

test("tags are normalised the way Discourse's clean_tag does", () => {
  assert.equal(normalizeTag("  Community Events "), "community-events");
  assert.equal(normalizeTag("C++ & Rust!"), "c-rust");
  assert.equal(normalizeTag("a  --  b"), "a-b");
  assert.equal(normalizeTag("über/straße?"), "überstraße");
  assert.equal(normalizeTag("x".repeat(30)), "x".repeat(20));
  assert.equal(normalizeTag("<script>"), "script");
});

test("at most five tags, duplicates and empties dropped", () => {
  assert.deepEqual(normalizeTags(["A", "a", "!!!", "b", "c", "d", "e", "f"]), ["a", "b", "c", "d", "e"]);
  assert.deepEqual(normalizeTags([]), []);
});
