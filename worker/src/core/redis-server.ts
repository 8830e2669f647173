/**
 * A throwaway redis-server on a free loopback port (nothing kept on disk): the demo uses one on a
 * machine without Redis, and every test file starts its own so none depends on data left behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
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

/** Whether a Redis answers PING at this URL (one quick try, no retries). */
export async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  r.on("error", () => {});
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

export interface RedisServerProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts redis-server on `port` (a free one when omitted) and waits until it answers. Rejects with a
 * clear message when the binary is missing or the server does not come up.
 */
export async function startRedisServer(
  opts: { port?: number; bin?: string; timeoutMs?: number } = {},
): Promise<RedisServerProcess> {
  const port = opts.port ?? (await freePort());
  const bin = opts.bin ?? process.env.REDIS_SERVER_BIN ?? "redis-server";
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child: ChildProcess = spawn(bin, [...args, "--maxmemory-policy", "noeviction"], { stdio: "ignore" });
  await new Promise<void>((resolve, reject) => {
    child.once("error", (err) =>
      reject(new Error(`cannot start ${bin}: ${err.message} (install Debian's redis-server)`)),
    );
    child.once("spawn", () => resolve());
  });
  const url = `redis://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  const until = Date.now() + (opts.timeoutMs ?? 10_000);
  while (!(await redisAnswers(url))) {
    if (Date.now() > until || child.exitCode !== null) {
      await stop();
      throw new Error(`redis-server on port ${port} did not answer`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, port, stop };
}
