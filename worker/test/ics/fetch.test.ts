import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { nonPublicRange, refusedReason } from "../../src/ics/address-guard.ts";
import { redactUrl } from "../../src/core/redact-url.ts";
import { FeedError } from "../../src/ics/errors.ts";
import { fetchFeed } from "../../src/ics/fetch.ts";
import type { FetchOptions } from "../../src/ics/fetch.ts";

const ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
const seen: { path: string; headers: IncomingMessage["headers"] }[] = [];
let server: Server;
let base: string;
let port: number;

before(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    seen.push({ path, headers: req.headers });
    const h = routes.get(path);
    if (h) h(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as { port: number }).port;
  base = `http://127.0.0.1:${port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const local: Partial<FetchOptions> = { allowPrivateAddresses: true, retryDelayMs: 10, timeoutMs: 2000 };

async function rejects(p: Promise<unknown>, code: string): Promise<FeedError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof FeedError, `expected FeedError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected a FeedError ${code}`);
}

describe("fetchFeed over HTTP", () => {
  test("says why a host gave no answer (the system error code sits deep in the cause chain)", async () => {
    const { freePort } = await import("../support/redis.ts");
    const closed = await freePort();
    await assert.rejects(
      fetchFeed({ url: `http://127.0.0.1:${closed}/cal.ics` }, { feedId: "f", ...local, retries: 0 }),
      (err: unknown) =>
        err instanceof FeedError &&
        /could not be reached: connection refused.*\(ECONNREFUSED\)/.test(err.message),
    );
  });

  test("returns the body, its hash, ETag and Last-Modified", async () => {
    routes.set("/ok.ics", (_req, res) => {
      res.writeHead(200, { etag: '"v1"', "last-modified": "Mon, 02 Mar 2026 10:00:00 GMT" }).end(ICS);
    });
    const r = await fetchFeed({ url: `${base}/ok.ics` }, { feedId: "f", ...local });
    assert.equal(r.status, "ok");
    if (r.status !== "ok") return;
    assert.equal(Buffer.from(r.body).toString(), ICS);
    assert.equal(r.hash, createHash("sha256").update(ICS).digest("hex"));
    assert.equal(r.etag, '"v1"');
    assert.equal(r.lastModified, "Mon, 02 Mar 2026 10:00:00 GMT");
  });

  test("sends If-None-Match / If-Modified-Since and reads 304 as not modified", async () => {
    routes.set("/cond.ics", (req, res) => {
      if (req.headers["if-none-match"] === '"v1"') res.writeHead(304).end();
      else res.writeHead(200, { etag: '"v1"' }).end(ICS);
    });
    const r = await fetchFeed(
      { url: `${base}/cond.ics` },
      { feedId: "f", ...local, etag: '"v1"', lastModified: "Mon, 02 Mar 2026 10:00:00 GMT" },
    );
    assert.deepEqual(r, { status: "not-modified" });
    const last = seen.filter((s) => s.path === "/cond.ics").at(-1)!;
    assert.equal(last.headers["if-modified-since"], "Mon, 02 Mar 2026 10:00:00 GMT");
  });

  test("identical bytes to the previous fetch count as not modified", async () => {
    routes.set("/same.ics", (_req, res) => res.writeHead(200).end(ICS));
    const first = await fetchFeed({ url: `${base}/same.ics` }, { feedId: "f", ...local });
    assert.equal(first.status, "ok");
    const hash = first.status === "ok" ? first.hash : "";
    const second = await fetchFeed(
      { url: `${base}/same.ics` },
      { feedId: "f", ...local, previousHash: hash },
    );
    assert.deepEqual(second, { status: "not-modified" });
  });

  test("webcal:// is read as https (and https to a plain HTTP server fails clearly)", async () => {
    const err = await rejects(
      fetchFeed({ url: `webcal://127.0.0.1:${port}/ok.ics` }, { feedId: "wc", ...local, retries: 0 }),
      "network",
    );
    assert.match(err.message, /^feed "wc": https:\/\/127\.0\.0\.1/);
  });

  test("Basic auth and extra headers reach the server", async () => {
    routes.set("/private.ics", (req, res) => {
      const ok = req.headers.authorization === `Basic ${Buffer.from("alice:s3cret").toString("base64")}`;
      res.writeHead(ok && req.headers["x-api-version"] === "2" ? 200 : 401).end(ICS);
    });
    const r = await fetchFeed(
      {
        url: `${base}/private.ics`,
        headers: { "X-Api-Version": "2" },
        basicAuth: { username: "alice", password: "s3cret" },
      },
      { feedId: "f", ...local },
    );
    assert.equal(r.status, "ok");
  });

  test("credentials in the URL are sent as Basic auth and never appear in errors", async () => {
    routes.set("/denied.ics", (req, res) => {
      res
        .writeHead(
          req.headers.authorization === `Basic ${Buffer.from("bob:hunter2").toString("base64")}` ? 403 : 400,
        )
        .end();
    });
    const err = await rejects(
      fetchFeed(
        { url: `http://bob:hunter2@127.0.0.1:${port}/denied.ics?token=abc123&x=1` },
        { feedId: "f", ...local },
      ),
      "http-status",
    );
    assert.match(err.message, /HTTP 403/);
    assert.doesNotMatch(err.message, /hunter2|bob|abc123/);
    assert.match(err.message, /token=\*\*\*/);
  });

  test("retries 5xx with backoff and then succeeds", async () => {
    let calls = 0;
    routes.set("/flaky.ics", (_req, res) => {
      calls++;
      if (calls < 3) res.writeHead(503).end();
      else res.writeHead(200).end(ICS);
    });
    const r = await fetchFeed({ url: `${base}/flaky.ics` }, { feedId: "f", ...local, retries: 2 });
    assert.equal(r.status, "ok");
    assert.equal(calls, 3);
  });

  test("gives up after the retries with a clear error naming the feed", async () => {
    let calls = 0;
    routes.set("/down.ics", (_req, res) => {
      calls++;
      res.writeHead(500).end();
    });
    const err = await rejects(
      fetchFeed({ url: `${base}/down.ics` }, { feedId: "club", ...local, retries: 1 }),
      "http-status",
    );
    assert.equal(calls, 2);
    assert.match(err.message, /^feed "club": .*HTTP 500.*\(2 attempts\)/);
  });

  test("does not retry a 404", async () => {
    let calls = 0;
    routes.set("/gone.ics", (_req, res) => {
      calls++;
      res.writeHead(404).end();
    });
    await rejects(
      fetchFeed({ url: `${base}/gone.ics` }, { feedId: "f", ...local, retries: 3 }),
      "http-status",
    );
    assert.equal(calls, 1);
  });

  test("times out a server that never answers, retrying timeouts", async () => {
    let calls = 0;
    routes.set("/slow.ics", () => {
      calls++; // never answers
    });
    const err = await rejects(
      fetchFeed({ url: `${base}/slow.ics` }, { feedId: "f", ...local, timeoutMs: 150, retries: 1 }),
      "timeout",
    );
    assert.equal(calls, 2);
    assert.match(err.message, /timed out after 150 ms/);
  });

  test("aborts a body that streams forever once the size cap is passed", async () => {
    let written = 0;
    let closed = false;
    routes.set("/endless.ics", (_req, res) => {
      res.writeHead(200, { "content-type": "text/calendar" });
      res.on("close", () => (closed = true));
      const chunk = Buffer.alloc(16 * 1024, "X");
      const pump = (): void => {
        while (!closed && res.write(chunk)) written += chunk.length;
        if (!closed) res.once("drain", pump);
      };
      pump();
    });
    const err = await rejects(
      fetchFeed(
        { url: `${base}/endless.ics` },
        { feedId: "f", ...local, maxBytes: 256 * 1024, timeoutMs: 5000 },
      ),
      "too-large",
    );
    assert.match(err.message, /262144 bytes/);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(closed, "the connection was closed");
    assert.ok(written < 64 * 1024 * 1024, `stopped early (server wrote ${written} bytes)`);
  });

  test("refuses a declared Content-Length over the cap before reading", async () => {
    routes.set("/big.ics", (_req, res) => res.writeHead(200, { "content-length": String(10_000_000) }).end());
    await rejects(
      fetchFeed({ url: `${base}/big.ics` }, { feedId: "f", ...local, maxBytes: 1000 }),
      "too-large",
    );
  });

  test("follows redirects up to the limit and refuses beyond it", async () => {
    for (let i = 0; i < 5; i++) {
      routes.set(`/hop${i}`, (_req, res) => res.writeHead(302, { location: `/hop${i + 1}` }).end());
    }
    routes.set("/hop5", (_req, res) => res.writeHead(200).end(ICS));
    const ok = await fetchFeed({ url: `${base}/hop2` }, { feedId: "f", ...local, maxRedirects: 3 });
    assert.equal(ok.status, "ok");
    await rejects(
      fetchFeed({ url: `${base}/hop0` }, { feedId: "f", ...local, maxRedirects: 3 }),
      "too-many-redirects",
    );
  });

  test("drops credentials when a redirect leaves the origin", async () => {
    routes.set("/away", (_req, res) =>
      res.writeHead(302, { location: `http://localhost:${port}/landing` }).end(),
    );
    routes.set("/landing", (req, res) => res.writeHead(req.headers.authorization ? 400 : 200).end(ICS));
    const r = await fetchFeed(
      { url: `${base}/away`, basicAuth: { username: "u", password: "p" } },
      { feedId: "f", ...local },
    );
    assert.equal(r.status, "ok");
  });
});

describe("address guard", () => {
  test("refuses loopback, private, link-local and metadata addresses by default", async () => {
    await rejects(fetchFeed({ url: `${base}/ok.ics` }, { feedId: "f", retries: 0 }), "blocked-address");
    for (const a of [
      "127.0.0.1",
      "10.1.2.3",
      "192.168.0.10",
      "172.16.5.4",
      "169.254.169.254",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "100.64.0.1",
      "0.0.0.0",
    ]) {
      assert.ok(nonPublicRange(a), `${a} is not public`);
    }
    assert.equal(nonPublicRange("93.184.215.14"), undefined);
    assert.equal(nonPublicRange("2606:2800:21f:cb07:6820:80da:af6b:8b2c"), undefined);
  });

  test("checks every address a name resolves to", async () => {
    const resolve = async (): Promise<string[]> => ["93.184.215.14", "10.0.0.5"];
    const reason = await refusedReason(new URL("https://calendar.example.org/feed.ics"), {
      allowPrivateAddresses: false,
      resolve,
    });
    assert.match(reason ?? "", /private address \(10\.0\.0\.5\)/);
  });

  test("checks redirect hops: an allowed host redirecting to a private one is refused", async () => {
    routes.set("/to-internal", (_req, res) =>
      res.writeHead(302, { location: `http://localhost:${port}/ok.ics` }).end(),
    );
    const err = await rejects(
      fetchFeed({ url: `${base}/to-internal` }, { feedId: "f", allowedHosts: ["127.0.0.1"], retries: 0 }),
      "blocked-address",
    );
    assert.match(err.message, /localhost/);
    assert.match(err.message, /loopback/);
  });

  test("a DNS lookup that never answers is cut off by the timeout", async () => {
    const resolve = (): Promise<string[]> => new Promise(() => undefined);
    const err = await rejects(
      fetchFeed(
        { url: "https://calendar.example.org/feed.ics" },
        { feedId: "f", resolve, timeoutMs: 100, retries: 0 },
      ),
      "timeout",
    );
    assert.match(err.message, /timed out after 100 ms/);
  });

  test("refuses schemes other than http(s) on redirect", async () => {
    routes.set("/to-file", (_req, res) => res.writeHead(302, { location: "file:///etc/passwd" }).end());
    const err = await rejects(
      fetchFeed({ url: `${base}/to-file` }, { feedId: "f", ...local }),
      "blocked-address",
    );
    assert.match(err.message, /scheme "file:"/);
  });
});

describe("local files", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "ics-fetch-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("reads a path and a file:// URL, with the hash for change detection", async () => {
    const path = join(dir, "a.ics");
    await writeFile(path, ICS);
    const a = await fetchFeed({ url: path }, { feedId: "f" });
    const b = await fetchFeed({ url: `file://${path}` }, { feedId: "f" });
    assert.equal(a.status, "ok");
    assert.deepEqual(a, b);
    const hash = a.status === "ok" ? a.hash : "";
    assert.deepEqual(await fetchFeed({ url: path }, { feedId: "f", previousHash: hash }), {
      status: "not-modified",
    });
  });

  test("refuses a file over the cap and names a missing file", async () => {
    const path = join(dir, "big.ics");
    await writeFile(path, Buffer.alloc(5000, "A"));
    await rejects(fetchFeed({ url: path }, { feedId: "f", maxBytes: 1000 }), "too-large");
    const err = await rejects(fetchFeed({ url: join(dir, "missing.ics") }, { feedId: "club" }), "file");
    assert.match(err.message, /^feed "club": cannot read the file .*missing\.ics.*ENOENT/);
  });
});

test("redactUrl removes user-info and secret-looking parameters and path tokens", () => {
  const r = redactUrl(
    "https://user:pw@cal.example.org/calendar/ical/x%40group/private-0123456789abcdef/basic.ics?key=K&token=T&tz=UTC",
  );
  assert.doesNotMatch(r, /user|pw|=K|=T|0123456789abcdef/);
  assert.match(r, /tz=UTC/);
});
