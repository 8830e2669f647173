import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";

const MAIN = fileURLToPath(new URL("../../emulator/main.ts", import.meta.url));

describe("npm run emulator (emulator/main.ts)", () => {
  it("serves on the given port, keeps the key out of its output, and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, PORT: "0", CALENDAR_PLUGIN: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [chunk] = (await once(child.stdout, "data")) as [Buffer];
    const line = chunk.toString();
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0];
    assert.ok(url, line);
    assert.doesNotMatch(line, /emulator-admin-key/);
    const res = await fetch(`${url}/discourse-post-event/events.json`, {
      headers: { "Api-Key": "emulator-admin-key", "Api-Username": "system" },
    });
    assert.deepEqual(await res.json(), { events: [] }, "CALENDAR_PLUGIN=1 turns the plugin on");
    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 0);
  });
});
