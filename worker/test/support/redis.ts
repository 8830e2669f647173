/**
 * Tests start their own redis-server on a free loopback port, so they never depend on data left
 * behind and can restart or flush Redis without disturbing anything else on the machine.
 */
import { Redis } from "ioredis";
import { freePort, startRedisServer, type RedisServerProcess } from "../../src/core/redis-server.ts";

export { freePort };

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

export async function startRedis(): Promise<TestRedis> {
  let server: RedisServerProcess = await startRedisServer();
  const { url, port } = server;
  return {
    url,
    port,
    stop: () => server.stop(),
    async restart() {
      await server.stop();
      server = await startRedisServer({ port });
    },
    client() {
      return new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: null });
    },
  };
}
