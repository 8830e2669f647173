/**
 * For the demo on a fresh machine: use the Redis at REDIS_URL or on the default port, and otherwise
 * start a throwaway redis-server on a free loopback port (nothing kept on disk).
 */
import { redisAnswers, startRedisServer } from "../core/redis-server.ts";

export interface DemoRedis {
  url: string;
  /** "env" (REDIS_URL), "default" (6379 answered) or "private" (started here). */
  origin: "env" | "default" | "private";
  stop(): Promise<void>;
}

/** Resolves to a usable Redis, or undefined when none answers and redis-server cannot be started. */
export async function findOrStartRedis(
  env: Record<string, string | undefined>,
): Promise<DemoRedis | undefined> {
  if (env.REDIS_URL) {
    return (await redisAnswers(env.REDIS_URL))
      ? { url: env.REDIS_URL, origin: "env", stop: async () => {} }
      : undefined;
  }
  const fallback = "redis://127.0.0.1:6379";
  if (await redisAnswers(fallback)) return { url: fallback, origin: "default", stop: async () => {} };
  try {
    const server = await startRedisServer(env.REDIS_SERVER_BIN ? { bin: env.REDIS_SERVER_BIN } : {});
    return { url: server.url, origin: "private", stop: server.stop };
  } catch {
    return undefined;
  }
}
