/**
 * The zod schema of the service configuration (YAML file or API JSON). It validates, fills defaults,
 * resolves secret references and produces exactly the core shapes (SiteConfig, FeedConfig, ExportConfig).
 */
import { z } from "zod";
import type { ExportConfig, FeedConfig, SiteConfig } from "../core/feed.ts";
import { canonicalZone } from "../ics/zones.ts";
import { parseSchedule } from "./schedule.ts";
import {
  isSensitiveHeader,
  resolveSecret,
  secretRefSchema,
  type SecretRef,
  type SecretSources,
} from "./secrets.ts";

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ID_RULE = "expected an id of letters, digits, '-' and '_' (at most 64, no spaces)";
const idSchema = z.string().regex(ID, ID_RULE);
/** `site` of a feed or export: it may be left out only when one site is configured. */
const siteRefSchema = (defaultSite: string | undefined) =>
  defaultSite
    ? idSchema.default(defaultSite)
    : z
        .string({
          error: (issue) =>
            issue.input === undefined ? "required: the id of one of the configured sites" : undefined,
        })
        .regex(ID, ID_RULE);

// the zones the feed reader knows: a bare offset such as "+01:00" passes Intl but is no zone name
const timezoneSchema = z
  .string()
  .refine((zone) => canonicalZone(zone) !== undefined, "expected an IANA time zone such as Europe/Berlin");

function secret(sources: SecretSources) {
  return secretRefSchema.transform((ref: SecretRef, ctx) => {
    const r = resolveSecret(ref, sources);
    if ("error" in r) {
      ctx.issues.push({ code: "custom", message: r.error, input: ref });
      return z.NEVER;
    }
    return r.value;
  });
}

function headerValues(sources: SecretSources) {
  const inlineOk = { ...sources, allowInline: true };
  return z.record(z.string().min(1), secretRefSchema).transform((headers, ctx) => {
    const out: Record<string, string> = {};
    for (const [name, ref] of Object.entries(headers)) {
      const r = resolveSecret(ref, isSensitiveHeader(name) ? sources : inlineOk);
      if ("error" in r) ctx.issues.push({ code: "custom", message: r.error, path: [name], input: ref });
      else out[name] = r.value;
    }
    return out;
  });
}

const scheduleSchema = z.union([z.string(), z.number()]).transform((input, ctx) => {
  const r = parseSchedule(input);
  if ("error" in r) {
    ctx.issues.push({ code: "custom", message: r.error, input });
    return z.NEVER;
  }
  return r;
});

const localOrRemoteUrl = z
  .string()
  .min(1)
  .refine(
    (u) => /^(https?|webcal|file):\/\//i.test(u) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(u),
    "expected an http(s) or webcal URL, a file:// URL or a file path",
  );
/** Feeds from the API: whoever holds the admin token must not make the worker read its own files. */
const remoteUrl = z
  .string()
  .min(1)
  .refine(
    (u) => /^(https?|webcal):\/\/[^/\s]/i.test(u),
    "expected an http(s) or webcal URL (local files are only accepted in the configuration file)",
  )
  .describe("http://, https:// or webcal:// URL of the feed");

/** Host names are compared in lower case, as URLs carry them. */
const hostName = z
  .string()
  .regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, "expected a host name such as calendar.internal")
  .transform((h) => h.toLowerCase());

/** How feeds are fetched, for every feed of the service. */
export const fetchSettingsSchema = z
  .strictObject({
    allowPrivateAddresses: z.boolean().default(false),
    allowedHosts: z.array(hostName).default([]),
  })
  .default({ allowPrivateAddresses: false, allowedHosts: [] });

export function siteSchema(sources: SecretSources) {
  return z
    .strictObject({
      id: idSchema,
      baseUrl: z.url({
        protocol: /^https?$/,
        error: "expected an http(s) URL such as https://forum.example.org",
      }),
      apiUsername: z.string().min(1).default("system"),
      apiKey: secret(sources),
      requestsPerMinute: z.number().int().min(1).max(100_000).default(60),
      timezone: timezoneSchema.default("UTC"),
      calendarPlugin: z.boolean().default(false),
      webhookSecret: secret(sources).optional(),
    })
    .transform(
      (s): SiteConfig => ({
        id: s.id,
        baseUrl: s.baseUrl.replace(/\/+$/, ""),
        apiUsername: s.apiUsername,
        apiKey: s.apiKey,
        requestsPerMinute: s.requestsPerMinute,
        timezone: s.timezone,
        calendarPlugin: s.calendarPlugin,
        ...(s.webhookSecret ? { webhookSecret: s.webhookSecret } : {}),
      }),
    );
}

/**
 * A feed as written in the file or sent to the API. `defaultSite` fills `site` when only one exists;
 * `remoteOnly` (API feeds) refuses local files.
 */
export function feedSchema(
  sources: SecretSources,
  defaultSite?: string,
  opts: { remoteOnly?: boolean } = {},
) {
  return z
    .strictObject({
      id: idSchema,
      name: z.string().min(1).optional(),
      url: opts.remoteOnly ? remoteUrl : localOrRemoteUrl,
      headers: headerValues(sources).optional(),
      basicAuth: z.strictObject({ username: z.string().min(1), password: secret(sources) }).optional(),
      site: siteRefSchema(defaultSite),
      categoryId: z.number().int().positive(),
      tags: z.array(z.string().min(1)).default([]),
      timezone: timezoneSchema.optional(),
      schedule: scheduleSchema.default({ everySeconds: 900 }),
      window: z
        .strictObject({
          pastDays: z.number().int().min(0).max(3650).default(30),
          futureDays: z.number().int().min(1).max(3650).default(365),
        })
        .default({ pastDays: 30, futureDays: 365 }),
      titleTemplate: z.string().min(1).max(255).default("{summary} ({date})"),
      cancelled: z.enum(["note", "close"]).default("note"),
      removed: z.enum(["keep", "close", "archive", "unlist", "delete"]).default("close"),
      adoption: z.enum(["off", "time-and-location", "time-only"]).default("time-and-location"),
      allowMassRemoval: z.boolean().default(false),
    })
    .transform(
      (f): FeedConfig => ({
        id: f.id,
        ...(f.name ? { name: f.name } : {}),
        source: {
          url: f.url,
          ...(f.headers ? { headers: f.headers } : {}),
          ...(f.basicAuth ? { basicAuth: f.basicAuth } : {}),
        },
        siteId: f.site,
        categoryId: f.categoryId,
        tags: f.tags,
        ...(f.timezone ? { timezone: f.timezone } : {}),
        window: f.window,
        schedule: f.schedule,
        titleTemplate: f.titleTemplate,
        cancelled: f.cancelled,
        removed: f.removed,
        adoption: f.adoption,
        allowMassRemoval: f.allowMassRemoval,
      }),
    );
}

export function exportSchema(sources: SecretSources, defaultSite?: string) {
  return z
    .strictObject({
      name: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, "expected a URL-safe name (letters, digits, '-' and '_')"),
      site: siteRefSchema(defaultSite),
      title: z.string().min(1).optional(),
      description: z.string().optional(),
      categoryIds: z.array(z.number().int().positive()).default([]),
      includeSubcategories: z.boolean().default(true),
      tags: z.array(z.string().min(1)).default([]),
      token: secret(sources).optional(),
      includeCalendarPlugin: z.boolean().default(false),
      refreshMinutes: z.number().int().min(1).max(1440).default(15),
    })
    .transform(
      (e): ExportConfig => ({
        name: e.name,
        siteId: e.site,
        ...(e.title ? { title: e.title } : {}),
        ...(e.description ? { description: e.description } : {}),
        categoryIds: e.categoryIds,
        includeSubcategories: e.includeSubcategories,
        tags: e.tags,
        ...(e.token ? { token: e.token } : {}),
        includeCalendarPlugin: e.includeCalendarPlugin,
        refreshMinutes: e.refreshMinutes,
      }),
    );
}

export function serviceSchema(sources: SecretSources, defaultSite?: string) {
  return z
    .strictObject({
      allowInlineSecrets: z.boolean().default(false),
      redis: z
        .strictObject({
          url: z
            .string()
            .regex(/^rediss?:\/\//, "expected a redis:// or rediss:// URL")
            .default("redis://127.0.0.1:6379"),
          prefix: z.string().min(1).max(64).default("dics"),
        })
        .default({ url: "redis://127.0.0.1:6379", prefix: "dics" }),
      http: z
        .strictObject({
          host: z.string().min(1).default("127.0.0.1"),
          port: z.number().int().min(0).max(65535).default(8080),
          adminToken: secret(sources).optional(),
          corsOrigins: z.array(z.string().min(1)).default([]),
          statusEndpoint: z.boolean().default(false),
          publicBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
        })
        .default({ host: "127.0.0.1", port: 8080, corsOrigins: [], statusEndpoint: false }),
      worker: z
        .strictObject({
          concurrency: z.number().int().min(1).max(64).default(4),
          attempts: z.number().int().min(1).max(20).default(3),
          backoffSeconds: z.number().int().min(1).max(3600).default(60),
          keepCompletedJobs: z.number().int().min(0).default(200),
          keepFailedJobs: z.number().int().min(0).default(500),
          schedulerCheckSeconds: z.number().int().min(5).max(3600).default(60),
        })
        .default({
          concurrency: 4,
          attempts: 3,
          backoffSeconds: 60,
          keepCompletedJobs: 200,
          keepFailedJobs: 500,
          schedulerCheckSeconds: 60,
        }),
      fetch: fetchSettingsSchema,
      sites: z.array(siteSchema(sources)).min(1, "expected at least one site"),
      feeds: z.array(feedSchema(sources, defaultSite)).default([]),
      statusTopic: z
        .strictObject({ site: idSchema.optional(), categoryId: z.number().int().positive() })
        .optional(),
      exports: z.array(exportSchema(sources, defaultSite)).default([]),
    })
    .superRefine((c, ctx) => {
      const siteIds = new Set(c.sites.map((s) => s.id));
      const names = [
        ["sites", "id", "site id", c.sites.map((s) => s.id)],
        ["feeds", "id", "feed id", c.feeds.map((f) => f.id)],
        ["exports", "name", "export name", c.exports.map((e) => e.name)],
      ] as const;
      for (const [section, field, what, values] of names) {
        for (const i of duplicates(values)) {
          ctx.issues.push({
            code: "custom",
            message: `duplicate ${what} "${values[i]}"`,
            path: [section, i, field],
            input: c,
          });
        }
      }
      const known = [...siteIds].join(", ");
      // a feed or export with other mistakes was not transformed (no siteId): it is reported already
      c.feeds.forEach((f, i) => {
        if (typeof f.siteId === "string" && !siteIds.has(f.siteId))
          ctx.issues.push({
            code: "custom",
            message: `unknown site "${f.siteId}" (sites: ${known})`,
            path: ["feeds", i, "site"],
            input: c,
          });
      });
      c.exports.forEach((e, i) => {
        if (typeof e.siteId === "string" && !siteIds.has(e.siteId))
          ctx.issues.push({
            code: "custom",
            message: `unknown site "${e.siteId}" (sites: ${known})`,
            path: ["exports", i, "site"],
            input: c,
          });
      });
      const statusSite = c.statusTopic?.site;
      if (statusSite && !siteIds.has(statusSite))
        ctx.issues.push({
          code: "custom",
          message: `unknown site "${statusSite}" (sites: ${known})`,
          path: ["statusTopic", "site"],
          input: c,
        });
    });
}

function duplicates(values: string[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  values.forEach((v, i) => {
    if (seen.has(v)) out.push(i);
    seen.add(v);
  });
  return out;
}
