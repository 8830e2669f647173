/** A Discourse API emulator on loopback: the endpoints, errors and limits an importer meets. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { SiteContext } from "./context.ts";
import { createCooker } from "./cook.ts";
import { syncEvent } from "./calendar.ts";
import { eventFromRaw } from "./events.ts";
import type { FaultConfig } from "./faults.ts";
import { Faults } from "./faults.ts";
import type { Topic } from "./model.ts";
import { iso } from "./model.ts";
import type { Params } from "./params.ts";
import { SlidingWindowLimiter } from "./rate-limiter.ts";
import { eventRoutes } from "./routes/events.ts";
import { listRoutes } from "./routes/lists.ts";
import { postRoutes } from "./routes/posts.ts";
import { searchRoutes } from "./routes/search.ts";
import { siteRoutes } from "./routes/site.ts";
import { topicRoutes } from "./routes/topics.ts";
import type { LoggedRequest } from "./server.ts";
import { createHandler } from "./server.ts";
import type { SiteSettings } from "./settings.ts";
import { defaultSiteSettings } from "./settings.ts";
import { Store } from "./state.ts";
import { resolveTags } from "./tags.ts";
import { cleanTitle, normalizeRaw } from "./text.ts";
import type { WebhookDelivery, WebhookTarget } from "./webhooks.ts";
import { WebhookEmitter } from "./webhooks.ts";
import { webhookPost, webhookTopic } from "./webhook-payloads.ts";

export type { SiteSettings } from "./settings.ts";
export type { WebhookTarget, WebhookDelivery } from "./webhooks.ts";

export interface EmulatorOptions {
  port?: number;
  adminRequestsPerMinute?: number | null;
  calendarPlugin?: boolean;
  siteSettings?: Partial<SiteSettings>;
  seed?: number;
  /** Webhooks fired on topic/post created, edited, destroyed. */
  webhooks?: WebhookTarget[];
  /** Clock in epoch ms, for tests of time windows (default Date.now). */
  now?: () => number;
}

export interface EmulatedPost {
  id: number;
  postNumber: number;
  raw: string;
  cooked: string;
  version: number;
  userId: number;
  actionCode?: string;
}

export interface EmulatedTopic {
  id: number;
  title: string;
  fancyTitle: string;
  slug: string;
  categoryId: number;
  externalId: string | null;
  tags: string[];
  closed: boolean;
  archived: boolean;
  visible: boolean;
  deletedAt: string | null;
  bumpedAt: string;
  createdAt: string;
  userId: number;
  posts: EmulatedPost[];
}

export type { LoggedRequest as RequestLogEntry } from "./server.ts";

export interface Emulator {
  url: string;
  adminApiKey: string;
  close(): Promise<void>;
  reset(): void;
  setRateLimit(perMinute: number | null): void;
  setFaults(f: FaultConfig | null): void;
  requests(): LoggedRequest[];
  counters(): { total: number; byRoute: Record<string, number>; byStatus: Record<string, number> };
  topics(includeDeleted?: boolean): EmulatedTopic[];
  createTopicAs(
    username: string,
    p: { title: string; raw: string; category: number; tags?: string[]; createdAt?: string },
  ): EmulatedTopic;
  settings: SiteSettings;
  /** Webhook deliveries attempted so far (and a way to wait for those in flight). */
  webhookDeliveries(): WebhookDelivery[];
  flushWebhooks(): Promise<void>;
}

const ADMIN_API_KEY = "emulator-admin-key";

function inspect(store: Store, t: Topic): EmulatedTopic {
  return {
    id: t.id,
    title: t.title,
    fancyTitle: t.fancyTitle,
    slug: t.slug,
    categoryId: t.categoryId,
    externalId: t.externalId,
    tags: store.tagNames(t),
    closed: t.closed,
    archived: t.archived,
    visible: t.visible,
    deletedAt: t.deletedAt === null ? null : iso(t.deletedAt),
    bumpedAt: iso(t.bumpedAt),
    createdAt: iso(t.createdAt),
    userId: t.userId,
    posts: t.posts.map((p) => ({
      id: p.id,
      postNumber: p.postNumber,
      raw: p.raw,
      cooked: p.cooked,
      version: p.version,
      userId: p.userId,
      ...(p.actionCode !== null ? { actionCode: p.actionCode } : {}),
    })),
  };
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const initialSettings: SiteSettings = { ...defaultSiteSettings(), ...opts.siteSettings };
  const settings: SiteSettings = { ...initialSettings };
  const calendarPlugin = opts.calendarPlugin ?? false;
  const cook = createCooker({ calendarPlugin });
  const store = new Store(cook);
  const now = opts.now ?? (() => Date.now());
  const initialLimit = opts.adminRequestsPerMinute === undefined ? 60 : opts.adminRequestsPerMinute;
  let adminLimit = initialLimit;
  const faults = new Faults(opts.seed ?? 1);
  const globalLimiter = new SlidingWindowLimiter();
  let url = "";
  const webhooks = new WebhookEmitter(opts.webhooks ?? [], () => url);
  let log: LoggedRequest[] = [];

  const ctx: SiteContext = {
    store,
    settings,
    calendarPlugin,
    now,
    cook,
    userLimiter: new SlidingWindowLimiter(),
    createMemo: new Map(),
    recentBodies: new Map(),
    emit: (e) => webhooks.emit(e),
  };

  const counters = () => {
    const byRoute: Record<string, number> = {};
    const byStatus: Record<string, number> = {};
    for (const r of log) {
      byRoute[r.route] = (byRoute[r.route] ?? 0) + 1;
      byStatus[String(r.status)] = (byStatus[String(r.status)] ?? 0) + 1;
    }
    return { total: log.length, byRoute, byStatus };
  };
  const topics = (includeDeleted = false) =>
    store.topics.filter((t) => includeDeleted || t.deletedAt === null).map((t) => inspect(store, t));
  const reset = () => {
    store.seed();
    Object.assign(settings, initialSettings);
    adminLimit = initialLimit;
    faults.set(null);
    globalLimiter.clear();
    ctx.userLimiter.clear();
    ctx.createMemo.clear();
    ctx.recentBodies.clear();
    webhooks.reset();
    log = [];
  };
  const setFaults = (f: FaultConfig | null) => faults.set(f);
  const setRateLimit = (perMinute: number | null) => {
    adminLimit = perMinute;
  };

  const handler = createHandler({
    ctx,
    routes: [
      ...topicRoutes,
      ...postRoutes,
      ...listRoutes,
      ...searchRoutes,
      ...siteRoutes,
      ...(calendarPlugin ? eventRoutes : []),
    ],
    adminApiKey: ADMIN_API_KEY,
    faults,
    globalLimiter,
    adminRequestsPerMinute: () => adminLimit,
    log: (e) => log.push(e),
    controls: {
      state: () => ({ topics: topics(true), settings, adminRequestsPerMinute: adminLimit }),
      reset,
      setFaults: (f: Params | null) => setFaults(f as FaultConfig | null),
      setRateLimit,
      requests: () => log,
      counters,
    },
  });
  const server = createServer((req, res) => {
    handler(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ errors: [e instanceof Error ? e.message : "internal error"] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    adminApiKey: ADMIN_API_KEY,
    settings,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
    reset,
    setRateLimit,
    setFaults,
    requests: () => log.map((r) => ({ ...r })),
    counters,
    topics,
    createTopicAs(username, p) {
      const user = store.userByName(username);
      if (!user) throw new Error(`createTopicAs: no user named "${username}"`);
      if (!store.category(p.category)) throw new Error(`createTopicAs: no category ${p.category}`);
      const raw = normalizeRaw(p.raw);
      const at = p.createdAt ? Date.parse(p.createdAt) : now();
      const topic = store.addTopic({
        title: cleanTitle(p.title, settings.title_prettify, settings.allow_uppercase_posts),
        raw,
        categoryId: p.category,
        userId: user.id,
        at,
        tagIds: resolveTags(store, p.tags ?? [], { ...user, moderator: true }, settings),
        externalId: null,
      });
      const first = topic.posts[0]!;
      const event = calendarPlugin ? eventFromRaw(raw, { ...user, moderator: true }, settings) : null;
      if (event?.ok && event.event) syncEvent(ctx, topic, first.id, event.event);
      webhooks.emit({ type: "topic", name: "topic_created", payload: webhookTopic(store, topic) });
      webhooks.emit({ type: "post", name: "post_created", payload: webhookPost(store, topic, first) });
      return inspect(store, topic);
    },
    webhookDeliveries: () => webhooks.deliveries.map((d) => ({ ...d })),
    flushWebhooks: () => webhooks.flush(),
  };
}
