import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Emulator } from "../../emulator/index.ts";
import { startEmulator } from "../../emulator/index.ts";
import { call, fakeClock, topicBody } from "./helpers.ts";

const clock = fakeClock();

describe("admin API rate limit, per-IP limit, faults and inspection", () => {
  let em: Emulator;
  before(async () => {
    em = await startEmulator({ now: clock.now, seed: 7 });
  });
  beforeEach(() => {
    em.reset();
    clock.advance(3_600_000);
  });
  after(() => em.close());

  it("allows 60 admin API requests a minute across all usernames, then answers the JSON 429", async () => {
    for (let i = 0; i < 60; i++) {
      const r = await call(em, "GET", "/latest.json", undefined, { user: i % 2 ? "system" : "alice" });
      assert.equal(r.status, 200);
    }
    clock.advance(20_500);
    const r = await call(em, "GET", "/latest.json", undefined, { user: "mod" });
    assert.equal(r.status, 429);
    assert.equal(r.headers.get("retry-after"), "40");
    assert.equal(r.headers.get("discourse-rate-limit-error-code"), "admin_api_key_rate_limit");
    assert.deepEqual(r.body, {
      errors: ["You’ve performed this action too many times. Please wait 40 seconds before trying again."],
      error_type: "rate_limit",
      extras: { wait_seconds: 40, time_left: "40 seconds" },
    });
    clock.advance(40_000);
    assert.equal((await call(em, "GET", "/latest.json")).status, 200, "the window slides");
  });

  it("setRateLimit changes the limit and null removes it", async () => {
    em.setRateLimit(2);
    assert.equal((await call(em, "GET", "/latest.json")).status, 200);
    assert.equal((await call(em, "GET", "/latest.json")).status, 200);
    assert.equal((await call(em, "GET", "/latest.json")).status, 429);
    em.setRateLimit(null);
    assert.equal((await call(em, "GET", "/latest.json")).status, 200);
  });

  it("answers the plain-text per-IP 429 to anonymous requests when private addresses are limited", async () => {
    em.settings.max_reqs_per_ip_per_10_seconds = 2;
    for (let i = 0; i < 3; i++)
      assert.equal((await call(em, "GET", "/latest.json", undefined, { key: null })).status, 200);
    em.settings.max_reqs_rate_limit_on_private = true;
    await call(em, "GET", "/latest.json", undefined, { key: null, user: null });
    await call(em, "GET", "/latest.json", undefined, { key: null, user: null });
    const r = await call(em, "GET", "/latest.json", undefined, { key: null, user: null });
    assert.equal(r.status, 429);
    assert.match(r.headers.get("content-type") ?? "", /text\/plain/);
    assert.equal(r.headers.get("discourse-rate-limit-error-code"), "ip_10_secs_limit");
    assert.equal(
      r.text,
      "Slow down, too many requests from this IP address.\nPlease retry again in 10 seconds.\nError code: ip_10_secs_limit.\n",
    );
    assert.equal(
      (await call(em, "GET", "/latest.json")).status,
      200,
      "admin API requests do not count per IP",
    );
  });

  it("injects 5xx answers and dropped connections from a seeded PRNG, on chosen routes only", async () => {
    em.setRateLimit(null);
    em.setFaults({ errorRate: 1, routes: ["POST /posts.json"] });
    const failed = await call(em, "POST", "/posts.json", topicBody());
    assert.ok([500, 502, 503].includes(failed.status));
    assert.equal((await call(em, "GET", "/latest.json")).status, 200);
    em.setFaults({ dropRate: 1 });
    await assert.rejects(call(em, "GET", "/latest.json"));
    const pattern = async () => {
      em.setFaults({ errorRate: 0.5, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await call(em, "GET", "/latest.json")).status);
      return out;
    };
    const a = await pattern();
    assert.deepEqual(await pattern(), a);
    assert.ok(a.some((s) => s === 200) && a.some((s) => s >= 500));
    em.setFaults({ latencyMs: 120 });
    const started = Date.now();
    await call(em, "GET", "/latest.json");
    assert.ok(Date.now() - started >= 110);
    em.setFaults(null);
  });

  it("logs requests with route names and counts them", async () => {
    await call(em, "POST", "/posts.json", topicBody(), { user: "Alice" });
    await call(em, "GET", "/t/9999.json");
    const log = em.requests();
    assert.deepEqual(
      log.map((r) => [r.method, r.path, r.route, r.status, r.apiUsername]),
      [
        ["POST", "/posts.json", "POST /posts.json", 200, "Alice"],
        ["GET", "/t/9999.json", "GET /t/:id.json", 404, "system"],
      ],
    );
    assert.deepEqual(em.counters(), {
      total: 2,
      byRoute: { "POST /posts.json": 1, "GET /t/:id.json": 1 },
      byStatus: { "200": 1, "404": 1 },
    });
  });

  it("offers the same controls over HTTP under /__emulator, never limited or faulted", async () => {
    const post = (path: string, body: unknown) =>
      fetch(em.url + path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    assert.equal((await post("/__emulator/rate-limit", { perMinute: 1 })).status, 204);
    await call(em, "GET", "/latest.json");
    assert.equal((await call(em, "GET", "/latest.json")).status, 429);
    await post("/__emulator/faults", { errorRate: 1 });
    const state = (await (await fetch(`${em.url}/__emulator/state`)).json()) as { topics: unknown[] };
    assert.equal(state.topics.length, 5, "the five category definition topics");
    const counters = (await (await fetch(`${em.url}/__emulator/counters`)).json()) as { total: number };
    assert.equal(counters.total, 2);
    const requests = (await (await fetch(`${em.url}/__emulator/requests`)).json()) as unknown[];
    assert.equal(requests.length, 2);
    await post("/__emulator/reset", {});
    assert.equal(
      (await call(em, "GET", "/latest.json")).status,
      200,
      "reset restores limits and clears faults",
    );
    assert.equal(em.counters().total, 1);
  });
});
