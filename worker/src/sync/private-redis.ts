/**
 * For the demo on a fresh machine: use the Redis at REDIS_URL or on the default port, and otherwise
 * start a throwaway redis-server on a free loopback port (nothing kept on disk).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";

export interface DemoRedis {
  url: string;
  /** "env" (REDIS_URL), "default" (6379 answered) or "private" (started here). */
  origin: "env" | "default" | "private";
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
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

function freePort(): Promise<number> {
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

/** Resolves to a usable Redis, or undefined when none answers and redis-server cannot be started. */
export async function findOrStartRedis(
  env: Record<string, string | undefined>,
): Promise<DemoRedis | undefined> {
  if (env.REDIS_URL) {
    return (await answers(env.REDIS_URL))
      ? { url: env.REDIS_URL, origin: "env", stop: async () => {} }
      : undefined;
  }
  const fallback = "redis://127.0.0.1:6379";
  if (await answers(fallback)) return { url: fallback, origin: "default", stop: async () => {} };
  const port = await freePort();
  const bin = env.REDIS_SERVER_BIN ?? "redis-server";
  let child: ChildProcess;
  try {
    child = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    await new Promise<void>((resolve, reject) => {
      child.once("error", reject);
      child.once("spawn", () => resolve());
    });
  } catch {
    return undefined;
  }
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await answers(url)); i++) await new Promise((r) => setTimeout(r, 50));
  if (!(await answers(url))) {
    child.kill("SIGTERM");
    return undefined;
  }
  return {
    url,
    origin: "private",
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
