/**
 * Every emulator response of an endpoint the official spec documents is validated against that
 * spec's 200 (or 301) schema. Where the spec is known to be wrong or narrower than real Discourse,
 * the schema is patched below, each patch saying why.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { Emulator } from "../../emulator/index.ts";
import { startEmulator } from "../../emulator/index.ts";
import { call, topicBody } from "./helpers.ts";

const SPEC_PATH =
  process.env["DISCOURSE_OPENAPI"] ??
  fileURLToPath(new URL("../../../../shared/discourse/openapi.json", import.meta.url));

type Schema = Record<string, unknown>;

const pointer = (...parts: string[]): string =>
  `#/${parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;

function schemaAt(spec: Schema, path: string, method: string): Schema {
  const paths = spec["paths"] as Record<string, Record<string, Schema>>;
  const op = paths[path]?.[method];
  assert.ok(op, `the spec documents ${method.toUpperCase()} ${path}`);
  const responses = op["responses"] as Record<string, { content?: Record<string, { schema: Schema }> }>;
  const schema = responses["200"]?.content?.["application/json"]?.schema;
  assert.ok(schema, `${method.toUpperCase()} ${path} has a 200 JSON schema`);
  return schema;
}

/** Known gaps between the spec and real Discourse (see API-NOTES §6.2 and the serializers). */
function applyKnownErrata(spec: Schema): void {
  // Topic-list items of /c/... : the spec's sample category had tagging off and one pinned topic, so
  // `tags`/`tags_descriptions` (TopicTagsMixin) are missing and `excerpt` (pinned topics only) is required.
  const c = schemaAt(spec, "/c/{slug}/{id}.json", "get");
  const list = (c["properties"] as Record<string, Schema>)["topic_list"] as Schema;
  const listProps = list["properties"] as Record<string, Schema>;
  // more_topics_url is serialized whenever a page is full (TopicListSerializer).
  listProps["more_topics_url"] = { type: "string" };
  const item = (listProps["topics"] as Schema)["items"] as Schema;
  const itemProps = item["properties"] as Record<string, Schema>;
  itemProps["tags"] = { type: "array" };
  itemProps["tags_descriptions"] = { type: "object" };
  item["required"] = (item["required"] as string[]).filter((k) => k !== "excerpt");
  // bookmarked/liked are false for topics the viewer took part in (a topic_user row), null otherwise;
  // the /c schema only allows null, the /latest schema only booleans.
  itemProps["bookmarked"] = { type: ["boolean", "null"] };
  itemProps["liked"] = { type: ["boolean", "null"] };
  // /latest: image_url is null for topics without an image (the /c schema already allows it).
  const latest = schemaAt(spec, "/latest.json", "get");
  const latestList = (latest["properties"] as Record<string, Schema>)["topic_list"] as Schema;
  const latestItem = ((latestList["properties"] as Record<string, Schema>)["topics"] as Schema)[
    "items"
  ] as Schema;
  (latestItem["properties"] as Record<string, Schema>)["image_url"] = { type: ["string", "null"] };
  // /search.json: real responses carry `topics` (SearchResultSerializer) which the strict schema omits.
  const search = schemaAt(spec, "/search.json", "get");
  (search["properties"] as Record<string, Schema>)["topics"] = { type: "array" };
  // Topic view posts: small-action posts carry `action_code` (PostSerializer#include_action_code?).
  const view = schemaAt(spec, "/t/{id}.json", "get");
  const stream = (view["properties"] as Record<string, Schema>)["post_stream"] as Schema;
  const post = ((stream["properties"] as Record<string, Schema>)["posts"] as Schema)["items"] as Schema;
  (post["properties"] as Record<string, Schema>)["action_code"] = { type: "string" };
  // include_raw=1 adds `raw` to each post (TopicsController#show); the spec never sends that param.
  (post["properties"] as Record<string, Schema>)["raw"] = { type: "string" };
  // Categories: the spec's samples were taken as an admin. For other viewers `permission` is null
  // where they may not create topics (Site#categories and Category.preload_user_fields! set it only
  // then), and /categories.json leaves out `can_edit` (BasicCategorySerializer#include_can_edit?).
  const siteCategory = (
    (schemaAt(spec, "/site.json", "get")["properties"] as Record<string, Schema>)["categories"] as Schema
  )["items"] as Schema;
  (siteCategory["properties"] as Record<string, Schema>)["permission"] = { type: ["integer", "null"] };
  const listSchema = (schemaAt(spec, "/categories.json", "get")["properties"] as Record<string, Schema>)[
    "category_list"
  ] as Schema;
  const listCategory = ((listSchema["properties"] as Record<string, Schema>)["categories"] as Schema)[
    "items"
  ] as Schema;
  (listCategory["properties"] as Record<string, Schema>)["permission"] = { type: ["integer", "null"] };
  listCategory["required"] = (listCategory["required"] as string[]).filter((k) => k !== "can_edit");
}

describe("responses match the OpenAPI spec", () => {
  let em: Emulator;
  let ajv: Ajv2020;
  let spec: Schema;
  let topicId: number;
  let postId: number;

  before(async () => {
    spec = JSON.parse(readFileSync(SPEC_PATH, "utf8")) as Schema;
    applyKnownErrata(spec);
    ajv = new Ajv2020({ strict: false, allErrors: true });
    const addFormats = addFormatsModule as unknown as (a: Ajv2020) => void;
    addFormats(ajv);
    ajv.addSchema({ ...spec, $id: "discourse-openapi" });
    em = await startEmulator({ adminRequestsPerMinute: null });
    for (let i = 0; i < 31; i++) {
      em.createTopicAs("system", {
        title: `Filler topic number ${i} for lists`,
        raw: "Filler body text here.",
        category: 3,
      });
    }
    const r = await call(
      em,
      "POST",
      "/posts.json",
      topicBody({ tags: ["spec-check"], external_id: "spec-1" }),
    );
    topicId = r.body.topic_id;
    postId = r.body.id;
  });
  after(() => em.close());

  function check(path: string, method: string, body: unknown): void {
    schemaAt(spec, path, method);
    const ref = `discourse-openapi${pointer("paths", path, method, "responses", "200", "content", "application/json", "schema")}`;
    const validate = ajv.getSchema(ref);
    assert.ok(validate, `schema ${ref} compiles`);
    const ok = validate(body);
    assert.ok(ok, `${method.toUpperCase()} ${path}: ${ajv.errorsText(validate.errors, { separator: "\n" })}`);
  }

  it("POST /posts.json", async () => {
    const r = await call(em, "POST", "/posts.json", topicBody());
    assert.equal(r.status, 200);
    check("/posts.json", "post", r.body);
  });

  it("GET /posts/{id}.json and PUT /posts/{id}.json", async () => {
    check("/posts/{id}.json", "get", (await call(em, "GET", `/posts/${postId}.json`)).body);
    const put = await call(em, "PUT", `/posts/${postId}.json`, {
      post: { raw: "A changed body for the spec check." },
    });
    check("/posts/{id}.json", "put", put.body);
  });

  it("GET /t/{id}.json, including small-action posts", async () => {
    await call(em, "PUT", `/t/${topicId}/status.json`, { status: "closed", enabled: "true" });
    check("/t/{id}.json", "get", (await call(em, "GET", `/t/${topicId}.json`)).body);
    check("/t/{id}.json", "get", (await call(em, "GET", `/t/${topicId}.json?include_raw=1`)).body);
  });

  it("GET /t/{id}/posts.json", async () => {
    const r = await call(em, "GET", `/t/${topicId}/posts.json?post_ids[]=${postId}`);
    assert.deepEqual(
      r.body.post_stream.posts.map((p: { id: number }) => p.id),
      [postId],
    );
    check("/t/{id}/posts.json", "get", r.body);
  });

  it("PUT /t/-/{id}.json and PUT /t/{id}/status.json", async () => {
    // The spec shows a {topic:{…}} request wrapper; the controller reads top-level params (API-NOTES §6.2).
    const put = await call(em, "PUT", `/t/-/${topicId}.json`, { title: "Renamed for the spec check" });
    assert.equal(put.status, 200, put.text);
    check("/t/-/{id}.json", "put", put.body);
    const status = await call(em, "PUT", `/t/${topicId}/status.json`, {
      status: "archived",
      enabled: "true",
    });
    check("/t/{id}/status.json", "put", status.body);
  });

  it("GET /t/external_id/{external_id}.json answers 301 as documented", async () => {
    const r = await call(em, "GET", "/t/external_id/spec-1.json");
    const doc = (spec["paths"] as Record<string, Record<string, Schema>>)[
      "/t/external_id/{external_id}.json"
    ];
    assert.ok((doc?.["get"]?.["responses"] as Schema)["301"]);
    assert.equal(r.status, 301);
  });

  it("GET /latest.json, /c/{slug}/{id}.json and /tag/{name}.json", async () => {
    const latest = await call(em, "GET", "/latest.json");
    assert.ok(latest.body.topic_list.more_topics_url);
    check("/latest.json", "get", latest.body);
    check("/c/{slug}/{id}.json", "get", (await call(em, "GET", "/c/events/3.json")).body);
    check("/tag/{name}.json", "get", (await call(em, "GET", "/tag/spec-check.json")).body);
  });

  it("GET /search.json", async () => {
    const r = await call(em, "GET", "/search.json?q=filler");
    assert.ok(r.body.posts.length > 0);
    check("/search.json", "get", r.body);
  });

  it("GET /site.json for an admin, a regular user and an anonymous visitor", async () => {
    for (const opts of [{}, { user: "alice" }, { user: null, key: null }]) {
      const r = await call(em, "GET", "/site.json", undefined, opts);
      assert.equal(r.status, 200);
      assert.ok(r.body.categories.length > 0);
      check("/site.json", "get", r.body);
    }
  });

  it("GET /categories.json, with and without subcategories", async () => {
    for (const path of ["/categories.json", "/categories.json?include_subcategories=true"]) {
      for (const opts of [{}, { user: "alice" }]) {
        const r = await call(em, "GET", path, undefined, opts);
        assert.equal(r.status, 200);
        assert.ok(r.body.category_list.categories.length > 0);
        check("/categories.json", "get", r.body);
      }
    }
  });

  it("DELETE /t/{id}.json", async () => {
    const r = await call(em, "DELETE", `/t/${topicId}.json`);
    assert.equal(r.status, 200);
  });
});
