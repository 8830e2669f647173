/** Reading the bytes: encodings, line ends, folding, broken and non-calendar input. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FeedError } from "../../src/ics/errors.ts";
import { calendar, parse, timed, vevent } from "./helpers.ts";

const ONE = calendar(
  ...vevent("UID:a", "DTSTART:20260301T100000Z", "DTEND:20260301T110000Z", "SUMMARY:Café meetup"),
);

function refused(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof FeedError);
    assert.equal(err.code, code);
    assert.match(err.message, message);
    assert.match(err.message, /^feed "test": /);
    return true;
  });
}

describe("line handling", () => {
  test("CRLF, LF and CR line ends read alike", () => {
    for (const text of [ONE, ONE.replaceAll("\r\n", "\n"), ONE.replaceAll("\r\n", "\r")]) {
      const feed = parse(text);
      assert.equal(feed.events.length, 1);
      assert.equal(feed.events[0]!.summary, "Café meetup");
    }
  });

  test("a UTF-8 BOM, blank lines between components and unknown properties are tolerated", () => {
    const text =
      "\uFEFF" + ONE.replace("BEGIN:VEVENT", "\r\n\r\nX-UNKNOWN;FOO=bar:baz\r\nBEGIN:VEVENT\r\nX-WHATEVER:1");
    const bytes = new TextEncoder().encode(text);
    const feed = parse(bytes);
    assert.equal(feed.events.length, 1);
    assert.deepEqual(feed.problems, []);
  });

  test("lines folded with a space or a TAB are joined (RFC 5545 3.1)", () => {
    const text = calendar(
      ...vevent(
        "UID:a",
        "DTSTART:20260301T100000Z",
        "SUMMARY:Long ti",
        " tle with",
        "\t more",
        "DESCRIPTION:x",
      ),
    );
    assert.equal(parse(text).events[0]!.summary, "Long title with more");
  });
});

describe("bytes and text read alike", () => {
  // UTF-8 bytes are read line by line; a text is read as a whole. Both must give the same feed.
  const tricky = calendar(
    ...vevent(
      "UID:fold",
      "DTSTART;TZID=Europe/Berlin:20260301T100000",
      "DTEND;TZID=Europe/Berlin:20260301T110000",
      "SUMMARY:Caf\u00e9 \u2014 ",
      "\tRu\u00dfland und \u65e5\u672c",
      "DESCRIPTION:first line",
      "second line left unescaped",
      "RRULE:FREQ=DAILY;COUNT=2",
      // Reported with the VEVENT's line number, which both ways of reading must agree on.
      "EXDATE:garbage",
    ),
    "",
    "   ",
    ...vevent("UID:last", "DTSTART;VALUE=DATE:20260302", "SUMMARY:\ud83c\udf89 party"),
  );
  const variants: [string, string][] = [
    ["CRLF", tricky],
    ["LF", tricky.replaceAll("\r\n", "\n")],
    ["CR", tricky.replaceAll("\r\n", "\r")],
    ["mixed", tricky.replace("\r\n", "\n").replace("\r\n", "\r").replace(/\r\n$/, "")],
    ["no final line end", tricky.replace(/\r\n$/, "")],
    ["two BOMs", "\uFEFF\uFEFF" + tricky],
  ];
  for (const [name, text] of variants) {
    test(name, () => {
      const fromText = parse(text.replace(/^\uFEFF/, ""));
      const fromBytes = parse(new TextEncoder().encode(text));
      assert.equal(fromBytes.events.length, 3);
      assert.deepEqual(
        fromBytes.problems.map((p) => p.code),
        ["invalid-exdate"],
      );
      assert.deepEqual(fromBytes, fromText);
      assert.equal(
        fromBytes.events.find((e) => e.uid === "fold")?.summary,
        "Caf\u00e9 \u2014 Ru\u00dfland und \u65e5\u672c",
      );
    });
  }
});

describe("encodings", () => {
  test("Latin-1 bytes are read as Windows-1252 and reported", () => {
    const latin1 = Buffer.from(ONE.replace("Café", "Caf\u00e9"), "latin1");
    assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(latin1), "the input is not UTF-8");
    const feed = parse(latin1);
    assert.equal(feed.events[0]!.summary, "Café meetup");
    assert.deepEqual(
      feed.problems.map((p) => p.code),
      ["encoding"],
    );
  });

  test("UTF-16 with a BOM (LE and BE) and without one", () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ONE, "utf16le")]);
    const be = Buffer.from(le);
    be.swap16();
    const noBom = Buffer.from(ONE, "utf16le");
    for (const bytes of [le, be, noBom]) {
      const feed = parse(bytes);
      assert.equal(feed.events.length, 1);
      assert.equal(feed.events[0]!.summary, "Café meetup");
    }
  });
});

describe("refused input", () => {
  test("an HTML page (login wall, error page) is refused with a clear reason", () => {
    refused(() => parse("<!DOCTYPE html><html><body>Sign in</body></html>"), "not-icalendar", /HTML/);
  });

  test("binary data is refused", () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xd8, 0xff,
    ]);
    refused(() => parse(png), "not-icalendar", /binary/);
  });

  test("an empty body and other text are refused", () => {
    refused(() => parse(""), "not-icalendar", /empty/);
    refused(() => parse("Hello\nworld"), "not-icalendar", /does not start with BEGIN:VCALENDAR/);
    assert.throws(
      () => parse("root:x:0:0:root-secret:/root:/bin/bash"),
      (err: Error) => !err.message.includes("root-secret"),
      "the content is not echoed into the error",
    );
  });

  test("a file cut off before any complete event is refused", () => {
    refused(
      () => parse("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:2026"),
      "truncated",
      /cut off/,
    );
  });
});

describe("damaged feeds still import what they can", () => {
  test("a truncated file keeps its complete events and reports the cut", () => {
    const text = calendar(
      ...vevent("UID:a", "DTSTART:20260301T100000Z"),
      ...vevent("UID:b", "DTSTART:20260302T100000Z"),
      "BEGIN:VEVENT",
      "UID:c",
      "DTSTART:20260303T1000",
    );
    const cut = text.slice(0, text.lastIndexOf("DTSTART:20260303") + 20);
    const feed = parse(cut);
    assert.deepEqual(
      feed.events.map((e) => e.uid),
      ["a", "b"],
    );
    assert.deepEqual(feed.problems.map((p) => p.code).sort(), ["incomplete-event", "truncated"]);
  });

  test("one broken VEVENT is reported and skipped; the rest imports", () => {
    const feed = parse(
      calendar(
        ...vevent("UID:good1", "DTSTART:20260301T100000Z", "SUMMARY:Fine"),
        ...vevent("UID:bad-date", "DTSTART:2026-13-45", "SUMMARY:Broken date"),
        ...vevent("UID:no-start", "SUMMARY:No start"),
        ...vevent("UID:bad-rule", "DTSTART:20260301T100000Z", "RRULE:FREQ=SOMETIMES", "SUMMARY:Bad rule"),
        ...vevent("UID:bad-duration", "DTSTART:20260301T100000Z", "DURATION:soon", "SUMMARY:Bad duration"),
        ...vevent("UID:good2", "DTSTART:20260302T100000Z", "SUMMARY:Also fine"),
      ),
    );
    assert.deepEqual(
      feed.events.map((e) => e.uid),
      ["good1", "good2"],
    );
    const byUid = new Map(feed.problems.map((p) => [p.uid, p]));
    assert.equal(byUid.get("bad-date")?.code, "invalid-date");
    assert.match(
      byUid.get("bad-date")!.message,
      /feed "test": VEVENT at line \d+ \("Broken date"\) skipped: DTSTART/,
    );
    assert.equal(byUid.get("no-start")?.code, "missing-dtstart");
    assert.equal(byUid.get("bad-rule")?.code, "invalid-rrule");
    assert.equal(byUid.get("bad-duration")?.code, "invalid-duration");
  });

  test("a VALARM missing its END is closed by the VEVENT's END", () => {
    const feed = parse(
      calendar(
        "BEGIN:VEVENT",
        "UID:open",
        "DTSTART:20260301T100000Z",
        "BEGIN:VALARM",
        "TRIGGER:-PT15M",
        "END:VEVENT",
        ...vevent("UID:next", "DTSTART:20260302T100000Z"),
      ),
    );
    assert.deepEqual(
      feed.events.map((e) => e.uid),
      ["open", "next"],
    );
    assert.equal(timed(feed.events[0]).start, "2026-03-01T10:00:00.000Z");
  });

  test("a VEVENT missing its END before the next BEGIN:VEVENT is skipped alone", () => {
    const feed = parse(
      calendar(
        "BEGIN:VEVENT",
        "UID:unclosed",
        "DTSTART:20260301T100000Z",
        ...vevent("UID:next", "DTSTART:20260302T100000Z"),
      ),
    );
    assert.deepEqual(
      feed.events.map((e) => e.uid),
      ["next"],
    );
    assert.deepEqual(
      feed.problems.map((p) => [p.uid, p.code]),
      [["unclosed", "incomplete-event"]],
    );
  });
});

describe("producer mistakes", () => {
  test("a line break left unescaped in a text value stays part of that value", () => {
    const feed = parse(
      calendar(
        ...vevent(
          "UID:a",
          "DTSTART:20260301T100000Z",
          "DESCRIPTION:First line",
          "second line, not folded",
          "SUMMARY:Still read",
        ),
      ),
    );
    assert.equal(feed.events[0]!.description, "First line\nsecond line, not folded");
    assert.equal(feed.events[0]!.summary, "Still read");
    assert.deepEqual(feed.problems, []);
  });

  test("a garbage EXDATE value is reported and ignored; the series still imports", () => {
    const feed = parse(
      calendar(
        ...vevent(
          "UID:s",
          "DTSTART;VALUE=DATE:20260301",
          "RRULE:FREQ=DAILY;COUNT=3",
          "EXDATE;VALUE=DATE:20260302,tomorrow",
          "EXDATE:",
        ),
      ),
    );
    assert.deepEqual(
      feed.events.map((e) => e.recurrenceId),
      ["2026-03-01", "2026-03-03"],
    );
    assert.deepEqual(
      feed.problems.map((p) => [p.uid, p.code]),
      [["s", "invalid-exdate"]],
    );
    assert.match(feed.problems[0]!.message, /EXDATE "tomorrow" is not a valid date.*ignored/);
  });
});
