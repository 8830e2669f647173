import { test } from "node:test";
import assert from "node:assert/strict";
import MarkdownIt from "markdown-it";
import {
  composeRaw,
  extractBlock,
  humanTextLength,
  readBlockIdentity,
  renderEventBlock,
} from "../../src/sync/render.ts";
import { allDayEvent, timedEvent } from "./fixtures.ts";

const md = new MarkdownIt({ html: true, linkify: true });
const ctx = { externalId: "ics-abc", siteTimezone: "Europe/Berlin", calendarPlugin: false };

function dataAttributes(block: string): Record<string, string> {
  const div = /<div (data-ics-event[^>]*)><\/div>/.exec(block);
  assert.ok(div, "data div present");
  const out: Record<string, string> = {};
  for (const m of div[1]!.matchAll(/data-ics-([a-z-]+)="([^"]*)"/g))
    out[m[1]!] = m[2]!.replace(/&#64;/g, "@");
  return out;
}

test("a timed event: local-date BBCode, site time, place, link and the data div", () => {
  const { block } = renderEventBlock(timedEvent(), ctx);
  assert.match(
    block,
    /\[date=2026-03-29 time=10:00:00 timezone="Europe\/Berlin"\] → \[date=2026-03-29 time=12:00:00 timezone="Europe\/Berlin"\]/,
  );
  assert.match(block, /\(Sun 29 Mar 2026, 10:00–12:00 Europe\\\/Berlin\)/);
  assert.match(block, /\*\*Where:\*\* Town hall, Room 2/);
  assert.match(block, /\*\*Link:\*\* <https:\/\/example.org\/meetup>/);
  assert.deepEqual(dataAttributes(block), {
    event: "1",
    uid: "evt-1@example.org",
    key: "evt-1@example.org",
    start: "2026-03-29T08:00:00.000Z",
    end: "2026-03-29T10:00:00.000Z",
    timezone: "Europe/Berlin",
    "all-day": "false",
    summary: "Community meetup",
    location: "Town hall, Room 2",
    url: "https://example.org/meetup",
    status: "confirmed",
    sequence: "0",
  });
  assert.deepEqual(readBlockIdentity(block), { externalId: "ics-abc", eventKey: "evt-1@example.org" });
  assert.match(block, /<!-- ICSUID:[0-9a-f]{16} -->/);
});

test("an all-day event: dates with exclusive end, no timezone attribute", () => {
  const { block } = renderEventBlock(allDayEvent({ location: "", url: undefined }), ctx);
  const a = dataAttributes(block);
  assert.equal(a["all-day"], "true");
  assert.equal(a.start, "2026-04-10");
  assert.equal(a.end, "2026-04-12");
  assert.equal(a.timezone, undefined);
  assert.equal(a.location, undefined, "empty attributes are omitted");
  assert.match(block, /Friday 10 April 2026 – Saturday 11 April 2026 \(all day\)/);
  assert.ok(!block.includes("**Where:**"));
});

test("with the calendar plugin the event is [event] BBCode in the event's zone", () => {
  const { block } = renderEventBlock(timedEvent(), { ...ctx, calendarPlugin: true });
  assert.match(
    block,
    /\[event start="2026-03-29 10:00" end="2026-03-29 12:00" timezone="Europe\/Berlin" status="public" name="Community meetup" location="Town hall, Room 2" url="https:\/\/example.org\/meetup"\]\n\[\/event\]/,
  );
  const day = renderEventBlock(allDayEvent(), { ...ctx, calendarPlugin: true }).block;
  assert.match(day, /\[event start="2026-04-10" end="2026-04-11" allDay="true"/);
  const short = renderEventBlock(timedEvent({ summary: "Gig" }), { ...ctx, calendarPlugin: true }).block;
  assert.ok(!/name=/.test(short), "names under 5 characters are left out (the plugin refuses them)");
});

const HOSTILE = [
  '[/event] [event start="2020-01-01"] [date=2020-01-01] [quote]x[/quote]',
  "<script>alert(1)</script><img src=x onerror=alert(1)><iframe src=//evil>",
  "<!-- discourse-ics:end --> <!-- ICSUID:0000000000000000 -->",
  "@here @everyone @staff @admins hi @alice",
  "[click](javascript:alert(1)) ![img](https://evil.example/x.png) <https://evil.example>",
  "https://evil.example/onebox",
  "www.evil.example",
  "# Heading\n> quote\n    code block\n- list\n1. item\n---\n| a | b |\n|---|---|",
  "**bold** _it_ `code` ~~s~~ :smile: \\ escaped",
  'quote " and \' and & and </div><div class="x">',
  "\u202eevil\u202c\u0000\u0007 zero\u200bwidth",
];

test("hostile feed text never becomes markup, mentions, BBCode or oneboxes", () => {
  for (const text of HOSTILE) {
    for (const calendarPlugin of [false, true]) {
      const event = timedEvent({
        summary: text,
        description: text,
        location: text,
        url: "javascript:alert(1)",
      });
      const { block } = renderEventBlock(event, { ...ctx, calendarPlugin });
      // the plugin turns the [event] line into attributes (not markdown); it must stay well-formed
      if (calendarPlugin) assert.match(block, /^\[event( \w+="[^"[\]\n]*")+\]$/m);
      const html = md.render(block.replace(/^\[event [^\n]*\]$/m, ""));
      const label = `${JSON.stringify(text)} plugin=${calendarPlugin}`;
      assert.ok(
        !/<(script|img|iframe|a|h1|blockquote|pre|code|ul|ol|table|hr|strong|em|s)\b/i.test(
          html.replace(/<strong>(When|Where|Link):<\/strong>/g, "").replace(/<h3>/g, ""),
        ),
        `${label}\n${html}`,
      );
      assert.equal((block.match(/\[\/event\]/g) ?? []).length, calendarPlugin ? 1 : 0, label);
      assert.equal((block.match(/\[event /g) ?? []).length, calendarPlugin ? 1 : 0, label);
      assert.ok(
        !/\[(date|quote)=?/.test(block.replace(/\[date=\d{4}-\d\d-\d\d time=[\d:]+ timezone="[^"]+"\]/g, "")),
        label,
      );
      assert.ok(!/@[A-Za-z]/.test(block), `${label}: mention`);
      assert.equal((block.match(/<!--/g) ?? []).length, 3, `${label}: only our comments`);
      assert.equal(extractBlock(`human\n\n${block}\n\nafter`), block, label);
      assert.ok(!/^\s*https?:\/\/\S+\s*$/m.test(block), `${label}: bare URL line would onebox`);
      // eslint-disable-next-line no-control-regex
      assert.ok(!/[\u202e\u0000\u0007]/.test(block), label);
      assert.equal(dataAttributes(block).url, undefined, "non-http URLs are dropped");
    }
  }
});

test("bodies stay within Discourse's length limits", () => {
  const huge = timedEvent({ description: "Lorem ipsum dolor [sit] amet. ".repeat(5000) });
  const { block } = renderEventBlock(huge, ctx);
  assert.ok(block.length <= 32000, String(block.length));
  const squeezed = renderEventBlock(huge, { ...ctx, reservedLength: 20000 }).block;
  assert.ok(squeezed.length <= 12000, String(squeezed.length));
  const tiny = renderEventBlock(
    timedEvent({ summary: "", description: "", location: "", url: undefined }),
    ctx,
  ).block;
  const visible = tiny.replace(/<!--[\s\S]*?-->/g, "").trim();
  assert.ok(visible.length >= 20, visible);
});

test("the hash depends on what is shown, not on volatile fields", () => {
  const a = renderEventBlock(timedEvent({ lastModified: "2026-01-01T00:00:00Z" }), ctx).hash;
  const b = renderEventBlock(timedEvent({ lastModified: "2026-02-02T00:00:00Z" }), ctx).hash;
  assert.equal(a, b);
  assert.notEqual(a, renderEventBlock(timedEvent({ location: "Elsewhere" }), ctx).hash);
  assert.notEqual(a, renderEventBlock(timedEvent({ status: "cancelled" }), ctx).hash);
});

test("text a person added outside the block survives a new block", () => {
  const first = renderEventBlock(timedEvent(), ctx).block;
  const second = renderEventBlock(timedEvent({ location: "Moved" }), ctx).block;
  const edited = `Note from the organisers: bring snacks.\n\n${first}\n\nSee you there!`;
  const updated = composeRaw(edited, second);
  assert.equal(updated, `Note from the organisers: bring snacks.\n\n${second}\n\nSee you there!`);
  assert.equal(humanTextLength(edited), edited.length - first.length);
  assert.equal(composeRaw(undefined, second), second);
});

test("adopted posts: the Python importer's block or a person's [event] is replaced, plain posts keep their text", () => {
  const block = renderEventBlock(timedEvent(), ctx).block;
  const legacy =
    '<!-- ICSUID:0123456789abcdef -->\n[event start="2026-03-29 10:00" end="2026-03-29 12:00" status="public" name="Meetup" timezone="Europe/Berlin"]\n[/event]\n\nDescription';
  assert.equal(composeRaw(legacy, block), `${block}\n\nDescription`);
  const human =
    'Come along!\n\n[event start="2026-03-29 10:00" timezone="Europe/Berlin"]\n[/event]\n\nThanks';
  assert.equal(composeRaw(human, block), `Come along!\n\n${block}\n\nThanks`);
  assert.equal(composeRaw("Just text from a person.", block), `${block}\n\nJust text from a person.`);
});
