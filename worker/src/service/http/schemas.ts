/**
 * JSON schemas of the API's requests and answers: they document the API in /api/openapi.json, and the
 * response schemas also make Fastify drop anything not listed, so no stray field can leak.
 */
import { z } from "zod";
import { feedSchema } from "../config-schema.ts";
import { defaultSecretSources } from "../secrets.ts";

const counts = {
  type: "object",
  properties: Object.fromEntries(
    ["created", "updated", "adopted", "unchanged", "cancelled", "removed", "skipped", "failed"].map((k) => [
      k,
      { type: "integer" },
    ]),
  ),
} as const;

export const errorSchema = {
  type: "object",
  properties: {
    error: { type: "string" },
    message: { type: "string" },
    problems: {
      type: "array",
      items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } },
    },
  },
} as const;

function inputSchema(): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(
    feedSchema(defaultSecretSources(), "site", { remoteOnly: true }),
    {
      io: "input",
      target: "draft-7",
      unrepresentable: "any",
    },
  ) as Record<string, unknown>;
  return schema;
}
export const feedInputSchema = inputSchema();

export const feedViewSchema = {
  type: "object",
  properties: {
    origin: { type: "string", enum: ["file", "api"] },
    feed: {
      type: "object",
      properties: {
        id: { type: "string" },
        name: { type: "string" },
        source: {
          type: "object",
          properties: {
            url: { type: "string" },
            headers: { type: "object", additionalProperties: { type: "string" } },
            basicAuth: {
              type: "object",
              properties: { username: { type: "string" }, password: { type: "string" } },
            },
          },
        },
        siteId: { type: "string" },
        categoryId: { type: "integer" },
        tags: { type: "array", items: { type: "string" } },
        timezone: { type: "string" },
        window: {
          type: "object",
          properties: { pastDays: { type: "integer" }, futureDays: { type: "integer" } },
        },
        schedule: {
          type: "object",
          properties: { everySeconds: { type: "integer" }, cron: { type: "string" } },
        },
        titleTemplate: { type: "string" },
        cancelled: { type: "string" },
        removed: { type: "string" },
        adoption: { type: "string" },
        allowMassRemoval: { type: "boolean" },
      },
    },
  },
} as const;

export const runSchema = {
  type: "object",
  properties: {
    feedId: { type: "string" },
    jobId: { type: "string" },
    trigger: { type: "string", enum: ["schedule", "manual"] },
    attempt: { type: "integer" },
    startedAt: { type: "string", format: "date-time" },
    finishedAt: { type: "string", format: "date-time" },
    durationMs: { type: "integer" },
    outcome: { type: "string", enum: ["ok", "partial", "failed", "not-modified", "skipped", "interrupted"] },
    reason: { type: "string" },
    counts,
    failures: {
      type: "array",
      items: {
        type: "object",
        properties: { eventKey: { type: "string" }, summary: { type: "string" }, reason: { type: "string" } },
      },
    },
    feedProblems: { type: "integer" },
  },
} as const;

export const jobSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    feedId: { type: "string" },
    trigger: { type: "string" },
    state: { type: "string", description: "waiting, active, delayed, completed, failed or unknown" },
    progress: {
      type: "object",
      properties: { phase: { type: "string" }, done: { type: "integer" }, total: { type: "integer" } },
    },
    attemptsMade: { type: "integer" },
    createdAt: { type: "string", format: "date-time" },
    finishedAt: { type: "string", format: "date-time" },
    result: {
      type: "object",
      properties: {
        feedId: { type: "string" },
        outcome: { type: "string" },
        reason: { type: "string" },
        counts,
        failures: { type: "integer" },
      },
    },
    failedReason: { type: "string" },
  },
} as const;

export const statusDocumentSchema = {
  type: "object",
  properties: {
    version: { type: "integer" },
    generatedAt: { type: "string", format: "date-time" },
    feeds: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          name: { type: "string" },
          intervalSeconds: { type: "integer" },
          nextRunAt: { type: ["string", "null"] },
          lastRun: {
            type: ["object", "null"],
            properties: {
              startedAt: { type: "string" },
              finishedAt: { type: "string" },
              outcome: { type: "string" },
              counts,
              failures: {
                type: "array",
                items: {
                  type: "object",
                  properties: { event: { type: "string" }, reason: { type: "string" } },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

export const bearer = [{ bearerAuth: [] }];
