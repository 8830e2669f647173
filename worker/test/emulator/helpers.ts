import type { Emulator } from "../../emulator/index.ts";

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallOptions {
  user?: string | null;
  key?: string | null;
  form?: boolean;
  headers?: Record<string, string>;
}

/** One real HTTP call to the emulator; redirects are not followed so 301s can be asserted. */
export async function call(
  em: Emulator,
  method: string,
  path: string,
  body?: Record<string, unknown> | string,
  opts: CallOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  const key = opts.key === undefined ? em.adminApiKey : opts.key;
  const user = opts.user === undefined ? "system" : opts.user;
  if (key !== null) headers["Api-Key"] = key;
  if (user !== null) headers["Api-Username"] = user;
  let payload: string | undefined;
  if (typeof body === "string") {
    payload = body;
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  const res = await fetch(em.url + path, { method, headers, body: payload, redirect: "manual" });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

let counter = 0;

/** A valid new-topic body with a unique, well-formed title. */
export function topicBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    title: `Community picnic in the park number ${counter}`,
    raw: `Bring food and friends to the picnic, edition ${counter}.`,
    category: 3,
    ...overrides,
  };
}

/** A controllable clock for time-window behaviour. */
export function fakeClock(start = Date.parse("2026-03-01T12:00:00Z")) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}
