/** A Fastify app with the export routes on a private Redis, with fake Discourse and records. */
import compress from "@fastify/compress";
import Fastify, { type FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { ExportConfig, SiteConfig } from "../../src/core/feed.ts";
import type { ImportedEventRecord } from "../../src/core/imported-event.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { createExportContext, type ExportContext } from "../../src/export/context.ts";
import { registerExportRoutes } from "../../src/export/routes.ts";
import type { CategoryInfo, DiscourseReader, ExportDeps, PluginEvent } from "../../src/export/types.ts";

export const SITE: SiteConfig = {
  id: "forum",
  baseUrl: "https://forum.example.org",
  apiUsername: "system",
  apiKey: "test-api-key",
  requestsPerMinute: 60,
  timezone: "UTC",
  calendarPlugin: true,
  webhookSecret: "webhook-secret-for-tests",
};

/** Categories as the emulator seeds them: 2 is staff-only, 4 is a child of 3. */
export const CATEGORIES: CategoryInfo[] = [
  { id: 1, restricted: false },
  { id: 2, restricted: true },
  { id: 3, restricted: false },
  { id: 4, restricted: false, parentId: 3 },
  { id: 5, restricted: false },
];

export class FakeDiscourse implements DiscourseReader {
  categoryList = CATEGORIES;
  tags = new Map<string, number[]>();
  events: PluginEvent[] = [];
  async categories() {
    return this.categoryList;
  }
  async topicIdsWithTag(tag: string) {
    return new Set(this.tags.get(tag) ?? []);
  }
  async pluginEvents() {
    return this.events;
  }
}

export interface Harness {
  app: FastifyInstance;
  deps: ExportDeps;
  ctx: ExportContext;
  records: ImportedEventRecord[];
  discourse: FakeDiscourse;
  close(): Promise<void>;
}

let counter = 0;

export async function startHarness(
  redis: Redis,
  exports: ExportConfig[],
  extra: Partial<ExportDeps> = {},
): Promise<Harness> {
  const records: ImportedEventRecord[] = [];
  const discourse = new FakeDiscourse();
  const deps: ExportDeps = {
    redis,
    redisPrefix: `t${process.pid}-${++counter}`,
    sites: [SITE],
    exports,
    logger: silentLogger(),
    publicBaseUrl: "https://ics.example.org",
    adminToken: "admin-token-for-tests",
    records: { listAll: async () => records },
    discourse: () => discourse,
    ...extra,
  };
  const app = Fastify();
  // As the service's server does: compression on for every route.
  await app.register(compress, { global: true });
  await registerExportRoutes(app, deps);
  await app.ready();
  return {
    app,
    deps,
    ctx: createExportContext(deps),
    records,
    discourse,
    async close() {
      await app.close();
    },
  };
}
