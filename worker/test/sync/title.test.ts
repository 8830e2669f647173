import { test } from "node:test";
import assert from "node:assert/strict";
import { disambiguateTitle, prettifyTitle, renderTitle, sameTitle } from "../../src/sync/title.ts";
import { allDayEvent, timedEvent } from "./fixtures.ts";

const ctx = { template: "{summary} ({date})", siteTimezone: "Europe/Berlin" };

test("the default title carries the date in the site timezone", () => {
  assert.equal(renderTitle(timedEvent(), ctx), "Community meetup (Sun 29 Mar 2026)");
  assert.equal(renderTitle(allDayEvent(), ctx), "Spring fair (Fri 10 Apr 2026)");
  // 23:30 UTC is already the next day in Berlin
  const late = timedEvent({
    time: { kind: "timed", start: "2026-06-01T23:30:00Z", end: "2026-06-02T00:30:00Z", timezone: "UTC" },
  });
  assert.match(renderTitle(late, ctx), /Tue 2 Jun 2026/);
});

test("title_prettify rules are applied before sending", () => {
  assert.equal(prettifyTitle("WHAT A PARTY!!!"), "What a party!");
  assert.equal(prettifyTitle("is this it???  "), "Is this it?");
  assert.equal(prettifyTitle("ends with dots..."), "Ends with dots");
  assert.equal(prettifyTitle("a  b\u200b c ?"), "A b c?");
  assert.equal(prettifyTitle("iPhone day"), "IPhone day");
  assert.ok(sameTitle("HELLO WORLD.", "Hello world"));
  const t = renderTitle(timedEvent({ summary: "BIG ANNOUNCEMENT!!!" }), ctx);
  assert.equal(t, prettifyTitle(t), "what we send is what Discourse stores");
});

test("short, repetitive or symbol-only summaries still make a valid title", () => {
  for (const summary of ["", "a", "...", "aaaa", "!!!", "\u200b"]) {
    const t = renderTitle(timedEvent({ summary }), { ...ctx, template: "{summary}" });
    assert.ok(t.length >= 15, `${JSON.stringify(summary)} -> ${t}`);
    assert.ok(new Set(Buffer.from(t)).size >= 10, t);
    assert.match(t, /[\p{L}\p{N}]/u);
  }
});

test("long summaries and long words fit Discourse's limits", () => {
  const t = renderTitle(timedEvent({ summary: "word ".repeat(100) }), ctx);
  assert.ok(t.length <= 255);
  assert.match(t, /\(Sun 29 Mar 2026\)$/, "the date survives truncation");
  const w = renderTitle(timedEvent({ summary: "x".repeat(80) }), ctx);
  assert.ok(!/[\p{L}\p{N}]{31,}/u.test(w), w);
  const e = renderTitle(timedEvent({ summary: "Party 🎉🎉 :tada: :smile:" }), ctx);
  assert.equal([...e.matchAll(/\p{Extended_Pictographic}/gu)].length, 1);
  assert.ok(!/:\w+:/.test(e), e);
});

test("a refused duplicate title gets a distinct variant", () => {
  const first = renderTitle(timedEvent(), ctx);
  const second = disambiguateTitle(first, 1, timedEvent(), "Europe/Berlin");
  const third = disambiguateTitle(first, 2, timedEvent(), "Europe/Berlin");
  assert.equal(second, "Community meetup (Sun 29 Mar 2026) 10:00");
  assert.notEqual(third, second);
  assert.match(third, /^Community meetup \(Sun 29 Mar 2026\) #[0-9a-f]{6}$/);
  const twin = disambiguateTitle(first, 2, timedEvent({ key: "other" }), "Europe/Berlin");
  assert.notEqual(twin, third, "identical events at the same time still get different titles");
  assert.ok(!sameTitle(first, second));
});
