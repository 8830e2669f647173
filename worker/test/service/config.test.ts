import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ConfigError, parseConfig, type ConfigProblem } from "../../src/service/config.ts";

const env = { FORUM_KEY: "k-secret-123", FEED_PW: "pw-secret-456", ADMIN: "admin-secret-789" };
const files: Record<string, string> = { "/secrets/hook": "hook-secret\n" };
const sources = {
  env,
  readFile: (p: string) => {
    const v = files[p];
    if (v === undefined) throw Object.assign(new Error("nope"), { code: "ENOENT" });
    return v;
  },
};

const GOOD = `
redis:
  url: redis://127.0.0.1:6390
  prefix: "{dics}"
http:
  port: 0
  adminToken: { env: ADMIN }
  corsOrigins: [https://forum.example.org]
  statusEndpoint: true
sites:
  - id: forum
    baseUrl: https://forum.example.org/
    apiKey: { env: FORUM_KEY }
    timezone: Europe/Berlin
    webhookSecret: { file: /secrets/hook }
feeds:
  - id: city
    name: City events
    url: https://example.org/city.ics
    basicAuth: { username: bob, password: { env: FEED_PW } }
    headers: { X-Calendar: public }
    categoryId: 3
    tags: [events]
    schedule: 15m
  - id: club
    url: webcal://example.org/club.ics
    site: forum
    categoryId: 4
    schedule: "0 */2 * * *"
    window: { pastDays: 1, futureDays: 90 }
    removed: archive
statusTopic: { categoryId: 2 }
exports:
  - name: all-events
    categoryIds: [3]
`;

function problems(text: string, extraEnv: Record<string, string> = {}): ConfigProblem[] {
  try {
    parseConfig(text, "service.yml", { ...sources, env: { ...env, ...extraEnv } });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail("expected the configuration to be rejected");
}

function lineOf(text: string, needle: string): number {
  return text.split("\n").findIndex((l) => l.includes(needle)) + 1;
}

test("a valid file becomes exactly the core shapes, with defaults and resolved secrets", () => {
  const c = parseConfig(GOOD, "service.yml", sources);
  assert.deepEqual(c.sites, [
    {
      id: "forum",
      baseUrl: "https://forum.example.org",
      apiUsername: "system",
      apiKey: "k-secret-123",
      requestsPerMinute: 60,
      timezone: "Europe/Berlin",
      calendarPlugin: false,
      webhookSecret: "hook-secret",
    },
  ]);
  assert.deepEqual(c.feeds[0], {
    id: "city",
    name: "City events",
    source: {
      url: "https://example.org/city.ics",
      headers: { "X-Calendar": "public" },
      basicAuth: { username: "bob", password: "pw-secret-456" },
    },
    siteId: "forum",
    categoryId: 3,
    tags: ["events"],
    window: { pastDays: 30, futureDays: 365 },
    schedule: { everySeconds: 900 },
    titleTemplate: "{summary} ({date})",
    cancelled: "note",
    removed: "close",
    adoption: "time-and-location",
    allowMassRemoval: false,
  });
  assert.deepEqual(c.feeds[1]!.schedule, { cron: "0 */2 * * *" });
  assert.deepEqual(c.feeds[1]!.window, { pastDays: 1, futureDays: 90 });
  assert.equal(c.http.adminToken, "admin-secret-789");
  assert.deepEqual(c.statusTopic, { siteId: "forum", categoryId: 2 });
  assert.deepEqual(c.exports[0], {
    name: "all-events",
    siteId: "forum",
    categoryIds: [3],
    includeSubcategories: true,
    tags: [],
    includeCalendarPlugin: false,
    refreshMinutes: 15,
  });
  assert.equal(c.redis.prefix, "{dics}");
});

test("environment variables override the redis URL and supply the admin token", () => {
  const text = GOOD.replace("  adminToken: { env: ADMIN }\n", "");
  const c = parseConfig(text, "x.yml", {
    ...sources,
    env: { ...env, REDIS_URL: "redis://10.0.0.5:6379", DICS_ADMIN_TOKEN: "t0k" },
  });
  assert.equal(c.redis.url, "redis://10.0.0.5:6379");
  assert.equal(c.http.adminToken, "t0k");
});

const mistakes: { name: string; edit: (t: string) => string; path: string; message: RegExp; at?: string }[] =
  [
    {
      name: "inline secret",
      edit: (t) => t.replace("apiKey: { env: FORUM_KEY }", "apiKey: plain-key"),
      path: "sites[0].apiKey",
      message: /inline secrets are not allowed/,
      at: "apiKey: plain-key",
    },
    {
      name: "missing environment variable",
      edit: (t) => t.replace("{ env: FEED_PW }", "{ env: NOT_SET_ANYWHERE }"),
      path: "feeds[0].basicAuth.password",
      message: /environment variable NOT_SET_ANYWHERE is not set/,
      at: "NOT_SET_ANYWHERE",
    },
    {
      name: "unreadable secret file",
      edit: (t) => t.replace("/secrets/hook", "/secrets/missing"),
      path: "sites[0].webhookSecret",
      message: /cannot read secret file \/secrets\/missing: ENOENT/,
      at: "/secrets/missing",
    },
    {
      name: "bad schedule",
      edit: (t) => t.replace("schedule: 15m", "schedule: every tuesday"),
      path: "feeds[0].schedule",
      message: /expected an interval like "15m"/,
      at: "every tuesday",
    },
    {
      name: "schedule too frequent",
      edit: (t) => t.replace("schedule: 15m", "schedule: 5s"),
      path: "feeds[0].schedule",
      message: /at least 60 seconds/,
      at: "schedule: 5s",
    },
    {
      name: "bad cron",
      edit: (t) => t.replace('"0 */2 * * *"', '"0 */2 * * 9"'),
      path: "feeds[1].schedule",
      message: /invalid cron expression/,
      at: "0 */2 * * 9",
    },
    {
      name: "wrong type",
      edit: (t) => t.replace("categoryId: 3", "categoryId: three"),
      path: "feeds[0].categoryId",
      message: /expected number, received string/,
      at: "categoryId: three",
    },
    {
      name: "missing required field",
      edit: (t) => t.replace("    categoryId: 4\n", ""),
      path: "feeds[1].categoryId",
      message: /required \(expected number\)/,
      at: "- id: club",
    },
    {
      name: "unknown key (a typo)",
      edit: (t) => t.replace("tags: [events]", "tag: [events]"),
      path: "feeds[0].tag",
      message: /unknown key: "tag"/,
      at: "tag: [events]",
    },
    {
      name: "unknown site",
      edit: (t) => t.replace("site: forum", "site: forun"),
      path: "feeds[1].site",
      message: /unknown site "forun" \(sites: forum\)/,
      at: "site: forun",
    },
    {
      name: "no site named while there are two",
      edit: (t) =>
        t.replace(
          "feeds:\n",
          "  - id: other\n    baseUrl: https://other.example.org\n    apiKey: { env: FORUM_KEY }\nfeeds:\n",
        ),
      path: "feeds[0].site",
      message: /required: the id of one of the configured sites/,
      at: "- id: city",
    },
    {
      name: "duplicate feed id",
      edit: (t) => t.replace("- id: club", "- id: city"),
      path: "feeds[1].id",
      message: /duplicate feed id "city"/,
      at: "- id: city\n    url: webcal",
    },
    {
      name: "bad enum value",
      edit: (t) => t.replace("removed: archive", "removed: destroy"),
      path: "feeds[1].removed",
      message: /expected one of "keep"\|"close"\|"archive"\|"unlist"\|"delete"/,
      at: "removed: destroy",
    },
    {
      name: "unknown time zone",
      edit: (t) => t.replace("Europe/Berlin", "Mars/Olympus"),
      path: "sites[0].timezone",
      message: /IANA time zone/,
      at: "Mars/Olympus",
    },
    {
      name: "not a URL",
      edit: (t) => t.replace("https://forum.example.org/", "forum.example.org"),
      path: "sites[0].baseUrl",
      message: /http\(s\) URL/,
      at: "baseUrl: forum.example.org",
    },
    {
      name: "feed URL with an unsupported scheme",
      edit: (t) => t.replace("https://example.org/city.ics", "ftp://example.org/city.ics"),
      path: "feeds[0].url",
      message: /http\(s\) or webcal URL/,
      at: "ftp://",
    },
    {
      name: "sensitive header inline",
      edit: (t) => t.replace("X-Calendar: public", "Authorization: Bearer abc"),
      path: "feeds[0].headers.Authorization",
      message: /inline secrets are not allowed/,
    },
  ];

for (const m of mistakes) {
  test(`config mistake is reported with its path and line: ${m.name}`, () => {
    const text = m.edit(GOOD);
    assert.notEqual(text, GOOD, "the edit must change the file");
    const found = problems(text);
    const p = found.find((x) => x.path === m.path);
    assert.ok(p, `expected a problem at ${m.path}, got ${JSON.stringify(found)}`);
    assert.match(p.message, m.message);
    if (m.at) {
      const needleLine = text.slice(0, text.indexOf(m.at)).split("\n").length;
      assert.equal(p.line, needleLine, `line of ${m.path}`);
    }
  });
}

test("several mistakes are all reported at once, and the error message lists file:line and path", () => {
  const text = GOOD.replace("categoryId: 3", "categoryId: -1").replace("schedule: 15m", "schedule: soon");
  try {
    parseConfig(text, "service.yml", sources);
    assert.fail("should throw");
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems.length, 2);
    assert.match(
      err.message,
      new RegExp(`service\\.yml:${lineOf(text, "categoryId: -1")}:\\d+ feeds\\[0\\]\\.categoryId: `),
    );
    assert.match(err.message, /feeds\[0\]\.schedule: expected an interval/);
  }
});

test("YAML syntax errors carry a line number", () => {
  const found = problems("sites:\n  - id: a\n   baseUrl: [\n");
  assert.ok(found[0]!.line && found[0]!.line >= 2, JSON.stringify(found));
  assert.match(found[0]!.message, /^YAML syntax/);
});

test("no sites at all is refused", () => {
  const found = problems("feeds: []\n");
  assert.equal(found[0]!.path, "sites");
});

test("secret values never appear in configuration errors", () => {
  const text = GOOD.replace("categoryId: 3", "categoryId: x").replace(
    "apiKey: { env: FORUM_KEY }",
    "apiKey: { env: FORUM_KEY, extra: 1 }",
  );
  try {
    parseConfig(text, "s.yml", sources);
    assert.fail("should throw");
  } catch (err) {
    const all = `${(err as Error).message} ${JSON.stringify(err)}`;
    for (const v of Object.values(env)) assert.ok(!all.includes(v), `leaked ${v}`);
  }
});

test("inline secrets are accepted when the file explicitly allows them", () => {
  const c = parseConfig(
    `allowInlineSecrets: true\n${GOOD.replace("apiKey: { env: FORUM_KEY }", "apiKey: inline-key")}`,
    "s.yml",
    sources,
  );
  assert.equal(c.sites[0]!.apiKey, "inline-key");
});

test("the example configuration in deploy/ is valid", () => {
  const text = readFileSync(new URL("../../../deploy/config.example.yml", import.meta.url), "utf8");
  const c = parseConfig(text, "config.example.yml", {
    env: { DISCOURSE_API_KEY: "k", DICS_ADMIN_TOKEN: "t", CLUB_FEED_PASSWORD: "p" },
    readFile: () => "hook",
  });
  assert.equal(c.feeds.length, 2);
  assert.deepEqual(c.feeds[1]!.schedule, { cron: "0 */2 * * *" });
  assert.equal(c.exports[0]!.name, "all-events");
});

test("fetch settings: private addresses refused by default, allowed hosts in lower case, mistakes named", () => {
  assert.deepEqual(parseConfig(GOOD, "service.yml", sources).fetch, {
    allowPrivateAddresses: false,
    allowedHosts: [],
  });
  const text = `fetch:\n  allowPrivateAddresses: true\n  allowedHosts: [Calendar.Internal, "[::1]"]\n${GOOD}`;
  assert.deepEqual(parseConfig(text, "service.yml", sources).fetch, {
    allowPrivateAddresses: true,
    allowedHosts: ["calendar.internal", "[::1]"],
  });
  const bad = `fetch:\n  allowPrivateAddresses: "yes"\n  allowedHosts: ["http://x/"]\n  timeout: 3\n${GOOD}`;
  const found = problems(bad);
  assert.deepEqual(found.map((p) => p.path).sort(), [
    "fetch.allowPrivateAddresses",
    "fetch.allowedHosts[0]",
    "fetch.timeout",
  ]);
  assert.ok(found.find((p) => p.path === "fetch.allowedHosts[0]")!.message.includes("host name"));
  assert.equal(found.find((p) => p.path === "fetch.timeout")!.line, lineOf(bad, "timeout: 3"));
});

test("a feed's timezone reaches its FeedConfig; an unknown zone is refused", () => {
  const text = GOOD.replace("    schedule: 15m", "    schedule: 15m\n    timezone: America/New_York");
  assert.equal(parseConfig(text, "service.yml", sources).feeds[0]!.timezone, "America/New_York");
  assert.equal(parseConfig(GOOD, "service.yml", sources).feeds[0]!.timezone, undefined);
  const found = problems(text.replace("America/New_York", "Mars/Olympus"));
  assert.deepEqual(
    found.map((p) => p.path),
    ["feeds[0].timezone"],
  );
  // Intl takes a bare offset, but the feed reader would not: it is no zone name
  assert.deepEqual(
    problems(text.replace("America/New_York", '"+01:00"')).map((p) => p.path),
    ["feeds[0].timezone"],
  );
});
