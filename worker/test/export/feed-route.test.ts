import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { Redis } from "ioredis";
import { startRedis, type TestRedis } from "../support/redis.ts";
import { exportConfig, record, timedEvent } from "./fixtures.ts";
import { startHarness, type Harness } from "./harness.ts";
import { readWithNodeIcal } from "./read-back.ts";

describe("GET /ics/{name}.ics", () => {
  let server: TestRedis;
  let redis: Redis;
  let h: Harness;

  before(async () => {
    server = await startRedis();
    redis = server.client();
    h = await startHarness(redis, [
      exportConfig({ name: "events", categoryIds: [3] }),
      exportConfig({ name: "empty", categoryIds: [5] }),
      exportConfig({ name: "staff", categoryIds: [2], token: "s3cret-token-value" }),
      exportConfig({ name: "staff-open", categoryIds: [2] }),
      exportConfig({ name: "unbuilt", categoryIds: [1] }),
      exportConfig({ name: "big", categoryIds: [1] }),
    ]);
    for (let i = 0; i < 40; i++) {
      const start = new Date(Date.UTC(2026, 5, 1 + i, 18)).toISOString();
      const end = new Date(Date.UTC(2026, 5, 1 + i, 20)).toISOString();
      h.records.push(record(timedEvent(`big-${i}@src`, start, end, "Europe/Berlin"), { categoryId: 1 }));
    }
    h.records.push(
      record(
        timedEvent("meetup@src", "2026-04-01T17:00:00.000Z", "2026-04-01T19:00:00.000Z", "Europe/Berlin"),
        { categoryId: 3 },
      ),
      record(timedEvent("sub@src", "2026-04-02T17:00:00.000Z", "2026-04-02T19:00:00.000Z", "Europe/Berlin"), {
        categoryId: 4,
      }),
      record(timedEvent("board@src", "2026-04-03T17:00:00.000Z", "2026-04-03T19:00:00.000Z", "UTC"), {
        categoryId: 2,
      }),
      record(timedEvent("gone@src", "2026-04-04T17:00:00.000Z", "2026-04-04T19:00:00.000Z", "UTC"), {
        categoryId: 3,
        state: "removed",
      }),
    );
    for (const name of ["events", "empty", "staff", "staff-open", "big"]) await h.ctx.rebuild(name);
  });

  after(async () => {
    await h.close();
    redis.disconnect();
    await server.stop();
  });

  it("serves the export with its subcategories as text/calendar with validators", async () => {
    const res = await h.app.inject({ url: "/ics/events.ics" });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["content-type"], "text/calendar; charset=utf-8");
    assert.match(String(res.headers.etag), /^"[\w-]+"$/);
    assert.ok(Date.parse(String(res.headers["last-modified"])) > 0);
    assert.equal(res.headers["cache-control"], "public, max-age=3600");
    assert.equal(res.headers.vary, "Accept-Encoding");
    const uids = readWithNodeIcal(res.body)
      .map((e) => e.uid)
      .sort();
    assert.deepEqual(uids, ["meetup@src", "sub@src"]);
  });

  it("answers 404 for an unknown export and for a name without .ics", async () => {
    assert.equal((await h.app.inject({ url: "/ics/nope.ics" })).statusCode, 404);
    assert.equal((await h.app.inject({ url: "/ics/events" })).statusCode, 404);
  });

  it("answers 304 to a current If-None-Match or If-Modified-Since, 200 to a stale one", async () => {
    const first = await h.app.inject({ url: "/ics/events.ics" });
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers["last-modified"]);
    const again = await h.app.inject({ url: "/ics/events.ics", headers: { "if-none-match": etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, "");
    assert.equal(again.headers.etag, etag);
    const listed = await h.app.inject({
      url: "/ics/events.ics",
      headers: { "if-none-match": `"old", ${etag}` },
    });
    assert.equal(listed.statusCode, 304);
    const byDate = await h.app.inject({
      url: "/ics/events.ics",
      headers: { "if-modified-since": lastModified },
    });
    assert.equal(byDate.statusCode, 304);
    const stale = await h.app.inject({
      url: "/ics/events.ics",
      headers: { "if-none-match": '"something-else"' },
    });
    assert.equal(stale.statusCode, 200);
    const older = await h.app.inject({
      url: "/ics/events.ics",
      headers: { "if-modified-since": new Date(Date.parse(lastModified) - 60_000).toUTCString() },
    });
    assert.equal(older.statusCode, 200);
  });

  it("keeps ETag and Last-Modified over a rebuild with no change, and moves them on a change", async () => {
    const before_ = await h.app.inject({ url: "/ics/events.ics" });
    await h.ctx.rebuild("events");
    const same = await h.app.inject({ url: "/ics/events.ics" });
    assert.equal(same.headers.etag, before_.headers.etag);
    assert.equal(same.headers["last-modified"], before_.headers["last-modified"]);
    const changed = record(
      timedEvent("new@src", "2026-05-01T10:00:00.000Z", "2026-05-01T11:00:00.000Z", "UTC"),
      { categoryId: 3 },
    );
    h.records.push(changed);
    await h.ctx.rebuild("events");
    const after_ = await h.app.inject({
      url: "/ics/events.ics",
      headers: { "if-none-match": String(before_.headers.etag) },
    });
    assert.equal(after_.statusCode, 200);
    assert.notEqual(after_.headers.etag, before_.headers.etag);
    h.records.pop();
    await h.ctx.rebuild("events");
  });

  it("sends gzip or br by Accept-Encoding, with the same calendar inside", async () => {
    const plain = await h.app.inject({ url: "/ics/events.ics" });
    const gz = await h.app.inject({
      url: "/ics/events.ics",
      headers: { "accept-encoding": "gzip, deflate" },
    });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.equal(gunzipSync(gz.rawPayload).toString("utf8"), plain.body);
    const br = await h.app.inject({
      url: "/ics/events.ics",
      headers: { "accept-encoding": "gzip;q=0.5, br" },
    });
    assert.equal(br.headers["content-encoding"], "br");
    assert.equal(brotliDecompressSync(br.rawPayload).toString("utf8"), plain.body);
    const refused = await h.app.inject({
      url: "/ics/events.ics",
      headers: { "accept-encoding": "gzip;q=0, br;q=0" },
    });
    assert.equal(refused.headers["content-encoding"], undefined);
    // The server's global compression must leave our bodies alone, else one ETag would name two bodies.
    const big = await h.app.inject({ url: "/ics/big.ics" });
    assert.ok(big.rawPayload.length > 4096);
    const deflateOnly = await h.app.inject({
      url: "/ics/big.ics",
      headers: { "accept-encoding": "deflate" },
    });
    assert.equal(deflateOnly.headers["content-encoding"], undefined);
    assert.equal(deflateOnly.body, big.body);
    // A client that stored the gzip variant still gets its 304.
    const again = await h.app.inject({
      url: "/ics/events.ics",
      headers: { "accept-encoding": "gzip", "if-none-match": String(gz.headers.etag) },
    });
    assert.equal(again.statusCode, 304);
  });

  it("serves an empty category as a valid calendar with no events", async () => {
    const res = await h.app.inject({ url: "/ics/empty.ics" });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^BEGIN:VCALENDAR\r\n/);
    assert.deepEqual(readWithNodeIcal(res.body), []);
  });

  it("serves a private category only with the export's token", async () => {
    const none = await h.app.inject({ url: "/ics/staff.ics" });
    assert.equal(none.statusCode, 401);
    const wrong = await h.app.inject({ url: "/ics/staff.ics?token=s3cret-token-valuX" });
    assert.equal(wrong.statusCode, 403);
    const short = await h.app.inject({ url: "/ics/staff.ics?token=s" });
    assert.equal(short.statusCode, 403);
    for (const res of [none, wrong, short]) assert.doesNotMatch(res.body, /s3cret/);
    const right = await h.app.inject({ url: "/ics/staff.ics?token=s3cret-token-value" });
    assert.equal(right.statusCode, 200);
    assert.equal(right.headers["cache-control"], "private, max-age=3600");
    assert.deepEqual(
      readWithNodeIcal(right.body).map((e) => e.uid),
      ["board@src"],
    );
  });

  it("lists exports to admins without their tokens", async () => {
    const res = await h.app.inject({
      url: "/api/exports",
      headers: { authorization: "Bearer admin-token-for-tests" },
    });
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /s3cret/);
    const staff = (res.json() as { exports: { name: string; needsToken: boolean }[] }).exports.find(
      (e) => e.name === "staff",
    );
    assert.equal(staff?.needsToken, true);
  });

  it("refuses an export of a private category that has no token", async () => {
    const res = await h.app.inject({ url: "/ics/staff-open.ics" });
    assert.equal(res.statusCode, 403);
    assert.match(res.json().message, /private category 2; give it a token/);
    assert.doesNotMatch(res.body, /board@src/);
  });

  it("answers 503 with Retry-After while an export has not been built yet", async () => {
    const res = await h.app.inject({ url: "/ics/unbuilt.ics" });
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers["retry-after"], "30");
  });
});
