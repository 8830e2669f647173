import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, type Emulator } from "../../emulator/index.ts";
import type { SiteConfig } from "../../src/core/feed.ts";
import { createDiscourseClient } from "../../src/discourse/client.ts";
import { clientGet, createDiscourseReader } from "../../src/export/discourse-reader.ts";

describe("createDiscourseReader against the emulator", () => {
  let emulator: Emulator;
  let site: SiteConfig;

  before(async () => {
    emulator = await startEmulator({ calendarPlugin: true, adminRequestsPerMinute: null });
    site = {
      id: "forum",
      baseUrl: emulator.url,
      apiUsername: "system",
      apiKey: emulator.adminApiKey,
      requestsPerMinute: 600,
      timezone: "UTC",
      calendarPlugin: true,
    };
    for (let i = 0; i < 450; i++) {
      const day = new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 2) * 86_400_000).toISOString().slice(0, 10);
      emulator.createTopicAs("system", {
        title: `Reading club session number ${i}`,
        raw: `[event start="${day} 18:00" timezone="Europe/Berlin" name="Reading club ${i}"]\n[/event]\n\nWe read chapter ${i} together.`,
        category: 3,
        tags: i < 35 ? ["reading"] : [],
      });
    }
  });

  after(async () => {
    await emulator.close();
  });

  it("reads every calendar-plugin event across the plugin's 200-a-request pages", async () => {
    const events = await createDiscourseReader(site).pluginEvents({});
    assert.equal(events.length, 450);
    assert.equal(new Set(events.map((e) => e.id)).size, 450);
    const first = events.find((e) => e.name === "Reading club 0");
    assert.equal(first?.timezone, "Europe/Berlin");
    assert.equal(first?.categoryId, 3);
    assert.ok(first?.topicId);
  });

  it("reads every topic of a tag across list pages", async () => {
    const ids = await createDiscourseReader(site).topicIdsWithTag("reading");
    assert.equal(ids.size, 35);
    assert.equal((await createDiscourseReader(site).topicIdsWithTag("no-such-tag")).size, 0);
  });

  it("names the site, never the key, when it cannot read the category list", async () => {
    const down: SiteConfig = { ...site, baseUrl: "http://127.0.0.1:9" };
    const reader = createDiscourseReader(down, clientGet(createDiscourseClient(down, { maxAttempts: 1 })));
    await assert.rejects(reader.categories(), (err: Error) => {
      assert.match(err.message, /^site "forum": cannot read categories/);
      assert.doesNotMatch(err.message, new RegExp(emulator.adminApiKey));
      return true;
    });
  });
});
