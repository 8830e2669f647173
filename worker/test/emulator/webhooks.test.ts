import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders, Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../emulator/index.ts";
import { startEmulator } from "../../emulator/index.ts";
import { call, topicBody } from "./helpers.ts";

const SECRET = "webhook-test-secret";

describe("webhooks", () => {
  let receiver: Server;
  let em: Emulator;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

  before(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.end("ok");
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    em = await startEmulator({
      adminRequestsPerMinute: null,
      calendarPlugin: true,
      webhooks: [{ url, secret: SECRET }],
    });
  });
  after(async () => {
    await em.close();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  it("posts signed topic and post events on create, edit and destroy", async () => {
    const r = await call(em, "POST", "/posts.json", topicBody({ title: "Webhook party at the harbour" }));
    await call(em, "PUT", `/posts/${r.body.id}.json`, { post: { raw: "Edited body of the webhook party." } });
    await call(em, "DELETE", `/t/${r.body.topic_id}.json`);
    await em.flushWebhooks();
    const events = received.map((x) => x.headers["x-discourse-event"]);
    assert.deepEqual(events, [
      "topic_created",
      "post_created",
      "post_edited",
      "topic_destroyed",
      "post_destroyed",
    ]);
    for (const [i, x] of received.entries()) {
      const expected = `sha256=${createHmac("sha256", SECRET).update(x.body).digest("hex")}`;
      assert.equal(x.headers["x-discourse-event-signature"], expected);
      assert.equal(x.headers["x-discourse-event-id"], String(i + 1));
      assert.equal(x.headers["x-discourse-instance"], em.url);
      assert.equal(x.headers["content-type"], "application/json");
    }
    const created = JSON.parse(received[0]!.body) as { topic: { id: number; title: string } };
    assert.equal(received[0]!.headers["x-discourse-event-type"], "topic");
    assert.equal(created.topic.id, r.body.topic_id);
    assert.equal(created.topic.title, "Webhook party at the harbour");
    const edited = JSON.parse(received[2]!.body) as {
      post: { raw: string; topic_id: number; can_edit?: boolean };
    };
    assert.equal(received[2]!.headers["x-discourse-event-type"], "post");
    assert.equal(edited.post.raw, "Edited body of the webhook party.");
    assert.equal(edited.post.can_edit, undefined, "permission flags are removed");
    assert.deepEqual(
      em.webhookDeliveries().map((d) => d.status),
      [200, 200, 200, 200, 200],
    );
  });

  it("posts calendar_event webhooks when an [event] is created, changed and removed", async () => {
    received.length = 0;
    const raw = (start: string) =>
      `[event start="${start}" timezone="Europe/Berlin"]\n[/event]\n\nA concert in the park.`;
    const r = await call(em, "POST", "/posts.json", topicBody({ raw: raw("2026-06-01 18:00") }));
    await call(em, "PUT", `/posts/${r.body.id}.json`, { post: { raw: raw("2026-06-02 18:00") } });
    await call(em, "DELETE", `/t/${r.body.topic_id}.json`);
    await em.flushWebhooks();
    const calendar = received.filter((x) => x.headers["x-discourse-event-type"] === "calendar_event");
    assert.deepEqual(
      calendar.map((x) => x.headers["x-discourse-event"]),
      ["calendar_event_created", "calendar_event_updated", "calendar_event_destroyed"],
    );
    const updated = JSON.parse(calendar[1]!.body) as {
      calendar_event: { event: { id: number; starts_at: string }; topic: { id: number } };
    };
    assert.equal(updated.calendar_event.event.id, r.body.id);
    assert.equal(updated.calendar_event.event.starts_at, "2026-06-02T16:00:00.000Z");
    assert.equal(updated.calendar_event.topic.id, r.body.topic_id);
  });
});
