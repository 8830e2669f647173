import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { externalIdFor, isValidExternalId, legacyUidHash, legacyUidTag } from "../../src/sync/identity.ts";

test("external ids are deterministic, valid for Discourse and distinct per site, feed and event", () => {
  const a = externalIdFor("forum", "feed", "uid-1");
  assert.equal(a, externalIdFor("forum", "feed", "uid-1"));
  assert.ok(isValidExternalId(a));
  assert.ok(a.length <= 50);
  const others = [
    externalIdFor("forum2", "feed", "uid-1"),
    externalIdFor("forum", "feed2", "uid-1"),
    externalIdFor("forum", "feed", "uid-2"),
    externalIdFor("forum", "feed", "uid-1@2026-01-01T00:00:00.000Z"),
  ];
  assert.equal(new Set([a, ...others]).size, 5);
  // a separator inside the parts cannot make two different triples collide
  assert.notEqual(externalIdFor("a", "b\nc", "d"), externalIdFor("a\nb", "c", "d"));
});

test("keys with any characters still give a valid external id", () => {
  for (const key of ["ünïcødé@host", "with spaces/and:colons", "x".repeat(5000), ""]) {
    assert.ok(isValidExternalId(externalIdFor("s", "f", key)), key.slice(0, 20));
  }
  assert.equal(isValidExternalId("has.dot"), false);
  assert.equal(isValidExternalId("x".repeat(51)), false);
});

test("legacy markers match the Python importer's SHA-1 prefixes", () => {
  const sha = createHash("sha1").update("abc@example.org").digest("hex");
  assert.equal(legacyUidHash("abc@example.org"), sha.slice(0, 16));
  assert.equal(legacyUidTag("abc@example.org"), "ics-" + sha.slice(0, 10));
});
