/** Rails-style parameter parsing: `a[b]=1`, `tags[]=x`, JSON bodies and query strings merge into one object. */

export type Params = Record<string, unknown>;

function assign(target: Params, key: string, value: string): void {
  const m = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(key);
  if (!m || m[2] === "") {
    target[key] = value;
    return;
  }
  const parts = [
    m[1] as string,
    ...[...(m[2] as string).matchAll(/\[([^\]]*)\]/g)].map((x) => x[1] as string),
  ];
  let cur: Params = target;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const last = i === parts.length - 1;
    const nextIsArray = parts[i + 1] === "";
    if (last) {
      cur[part] = value;
      return;
    }
    if (nextIsArray && i + 1 === parts.length - 1) {
      const arr = Array.isArray(cur[part]) ? (cur[part] as unknown[]) : [];
      arr.push(value);
      cur[part] = arr;
      return;
    }
    const child = cur[part];
    if (typeof child !== "object" || child === null || Array.isArray(child)) cur[part] = {};
    cur = cur[part] as Params;
  }
}

export function parseForm(text: string): Params {
  const out: Params = {};
  for (const [k, v] of new URLSearchParams(text)) assign(out, k, v);
  return out;
}

export function parseBody(contentType: string | undefined, body: string): Params | null {
  if (body.trim() === "") return {};
  const ct = (contentType ?? "").toLowerCase();
  if (ct.includes("application/json")) {
    try {
      const v: unknown = JSON.parse(body);
      return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Params) : {};
    } catch {
      return null;
    }
  }
  return parseForm(body);
}

export function str(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** Rails' truthiness for "true"/"false"-ish params. */
export function truthy(v: unknown): boolean {
  const s = str(v);
  return s !== undefined && ["true", "1", "t", "yes", "on"].includes(s.toLowerCase());
}

/** Tag lists arrive as strings, {name} or {id} objects (ids resolved by `nameOfId`), or a comma-joined string. */
export function tagNamesParam(
  v: unknown,
  nameOfId: (id: number) => string | undefined,
): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : typeof v === "object" ? Object.values(v as object) : [v];
  const out: string[] = [];
  for (const item of list) {
    if (typeof item === "string") out.push(...(Array.isArray(v) ? [item] : item.split(",")));
    else if (typeof item === "object" && item !== null) {
      const o = item as Params;
      const name = str(o["name"]) ?? (o["id"] !== undefined ? nameOfId(Number(o["id"])) : undefined);
      if (name !== undefined) out.push(name);
    }
  }
  return out.filter((s) => s.trim() !== "");
}
