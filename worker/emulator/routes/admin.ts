/** /__emulator/* inspection and control endpoints (never rate limited or faulted). */
import type { Reply } from "../reply.ts";
import { json, empty } from "../reply.ts";
import type { Params } from "../params.ts";

export interface EmulatorControls {
  state(): unknown;
  reset(): void;
  setFaults(f: Params | null): void;
  setRateLimit(perMinute: number | null): void;
  requests(): unknown;
  counters(): unknown;
}

export function handleAdmin(c: EmulatorControls, method: string, path: string, body: Params | null): Reply {
  const p = path.replace(/\.json$/, "");
  if (method === "GET" && p === "/__emulator/state") return json(200, c.state());
  if (method === "GET" && p === "/__emulator/requests") return json(200, c.requests());
  if (method === "GET" && p === "/__emulator/counters") return json(200, c.counters());
  if (method === "POST" && p === "/__emulator/reset") {
    c.reset();
    return empty(204);
  }
  if (method === "POST" && p === "/__emulator/faults") {
    c.setFaults(body && Object.keys(body).length > 0 ? body : null);
    return empty(204);
  }
  if (method === "POST" && p === "/__emulator/rate-limit") {
    const v = body?.["perMinute"];
    c.setRateLimit(typeof v === "number" ? v : v === null ? null : Number(v));
    return empty(204);
  }
  return json(404, { errors: [`Unknown emulator endpoint: ${method} ${p}`] });
}
