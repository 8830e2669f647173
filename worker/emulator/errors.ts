/** Discourse's JSON error bodies (lib/json_error.rb, config/locales/server.en.yml). */
import type { Reply } from "./reply.ts";
import { json } from "./reply.ts";

export const notFound = (): Reply =>
  json(404, { errors: ["The requested URL or resource could not be found."], error_type: "not_found" });

export const invalidAccess = (): Reply =>
  json(403, {
    errors: ["You are not permitted to view the requested resource."],
    error_type: "invalid_access",
  });

export const invalidApiCredentials = (): Reply =>
  json(403, {
    errors: ["You are not permitted to view the requested resource. The API username or key is invalid."],
    error_type: "invalid_access",
  });

export const notLoggedIn = (): Reply =>
  json(403, { errors: ["You need to be logged in to do that."], error_type: "not_logged_in" });

export const invalidParameters = (name: string): Reply =>
  json(400, {
    errors: [`You supplied invalid parameters to the request: ${name}`],
    error_type: "invalid_parameters",
  });

// Rails' ParameterMissing message (Rails 7.2+ wording), which Discourse renders as-is with status 400.
export const parameterMissing = (name: string): Reply =>
  json(400, { errors: [`param is missing or the value is empty or invalid: ${name}`] });

export const unprocessable = (errors: string[]): Reply => json(422, { errors });

export function timeLeft(seconds: number): string {
  if (seconds < 60) return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
  const m = Math.round(seconds / 60);
  if (m < 60) return `${m} ${m === 1 ? "minute" : "minutes"}`;
  const h = Math.round(m / 60);
  return `${h} ${h === 1 ? "hour" : "hours"}`;
}

/** RateLimiter::LimitExceeded as rendered by ApplicationController. */
export function rateLimited(waitSeconds: number, errorCode: string | null, message?: string): Reply {
  const left = timeLeft(waitSeconds);
  const headers: Record<string, string> = { "Retry-After": String(waitSeconds) };
  if (errorCode) headers["Discourse-Rate-Limit-Error-Code"] = errorCode;
  return json(
    429,
    {
      errors: [
        message ?? `You’ve performed this action too many times. Please wait ${left} before trying again.`,
      ],
      error_type: "rate_limit",
      extras: { wait_seconds: waitSeconds, time_left: left },
    },
    headers,
  );
}
