import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createCooker } from "../../emulator/cook.ts";

const cook = createCooker({ calendarPlugin: false });
const cookWithEvents = createCooker({ calendarPlugin: true });

describe("cooking and sanitising", () => {
  it("renders markdown and removes HTML comments", () => {
    assert.equal(cook("Hello **world**\n\n<!-- ics-uid: abc -->"), "<p>Hello <strong>world</strong></p>");
  });

  it("keeps data-* only on div and aside", () => {
    const html = cook(
      '<div data-ics-uid="1" data-html-x="2">a</div>\n\n<aside data-x="y">b</aside>\n\n<p data-z="1">c <span data-q="2">d</span></p>',
    );
    assert.match(html, /<div data-ics-uid="1">a<\/div>/);
    assert.match(html, /<aside data-x="y">b<\/aside>/);
    assert.match(html, /<p>c <span>d<\/span><\/p>/);
  });

  it("drops style, event handlers, unknown classes and scripts with their body", () => {
    const html = cook(
      '<div class="title evil" style="color:red" onclick="x()">t</div>\n\n<script>alert(1)</script>ok',
    );
    assert.equal(html, '<div class="title">t</div>\nok');
  });

  it("allows http(s), relative and mailto links only", () => {
    const html = cook(
      '<a href="https://example.org/x">a</a> <a href="/t/1">b</a> <a href="mailto:me@example.org">c</a> <a href="javascript:alert(1)">d</a> <a href="data:text/html,x">e</a>',
    );
    assert.match(html, /href="https:\/\/example.org\/x"/);
    assert.match(html, /href="\/t\/1"/);
    assert.match(html, /href="mailto:me@example.org"/);
    assert.doesNotMatch(html, /javascript|data:text/);
  });

  it("renders [date] as a discourse-local-date span with its data attributes", () => {
    const html = cook('Starts [date=2026-06-01 time=18:00:00 timezone="Europe/Berlin"]');
    assert.equal(
      html,
      '<p>Starts <span class="discourse-local-date" data-date="2026-06-01" data-time="18:00:00" data-timezone="Europe/Berlin" data-email-preview="2026-06-01T16:00:00Z UTC">2026-06-01T16:00:00Z UTC</span></p>',
    );
  });

  it("turns [event] into div.discourse-post-event, description inside, only with the plugin and a start", () => {
    const raw =
      '[event start="2026-06-01 18:00" timezone="Europe/Berlin" allowedGroups="a,b"]\nDescription\n[/event]';
    assert.equal(
      cookWithEvents(raw),
      '<div class="discourse-post-event" data-start="2026-06-01 18:00" data-timezone="Europe/Berlin" data-allowed-groups="a,b">\n<p>Description</p>\n</div>',
    );
    assert.match(cook(raw), /^<p>\[event start=/);
    assert.doesNotMatch(cookWithEvents('[event end="2026-06-01"]\n[/event]'), /discourse-post-event/);
  });
});
