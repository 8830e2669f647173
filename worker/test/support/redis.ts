/**
 * Tests start their own redis-server on a free loopback port, so they never depend on data left
 * behind and can restart or flush Redis without disturbing anything else on the machine.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";

export interface TestRedis {
  url: string;
  port: number;
  /** Stop the server (SIGTERM, nothing kept on disk). */
  stop(): Promise<void>;
  /** Stop and start again on the same port, with empty data. */
  restart(): Promise<void>;
  /** A fresh client; the caller quits it. */
  client(): Redis;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPing(port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const r = new Redis({
      port,
      host: "127.0.0.1",
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    r.on("error", () => {});
    try {
      await r.connect();
      await r.ping();
      r.disconnect();
      return;
    } catch {
      r.disconnect();
      if (Date.now() > until) throw new Error(`redis-server on port ${port} did not answer`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }
}

function launch(port: number): ChildProcess {
  const bin = process.env.REDIS_SERVER_BIN ?? "redis-server";
  const child = spawn(
    bin,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--maxmemory-policy",
      "noeviction",
    ],
    { stdio: "ignore" },
  );
  child.on("error", (err) => {
    throw new Error(`cannot start ${bin}: ${err.message} (install Debian's redis-server)`);
  });
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child = launch(port);
  await waitForPing(port, 10_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await stopChild(child);
    },
    async restart() {
      await stopChild(child);
      child = launch(port);
      await waitForPing(port, 10_000);
    },
    client() {
      return new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: null });
    },
  };
}
