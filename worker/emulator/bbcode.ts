/** Attribute parsing shared by the [date] and [event] BBCodes: key=value, key="value" or key='value'. */
export function parseBbcodeAttributes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([\w-]+)=(?:"([^"]*)"|'([^']*)'|([^\s\]]+))/g)) {
    out[m[1] as string] = m[2] ?? m[3] ?? m[4] ?? "";
  }
  return out;
}

export const EVENT_BLOCK = /^\[event(\s[^\]\n]*)?\][ \t]*\n?([\s\S]*?)\[\/event\][ \t]*$/gm;

export interface EventBlock {
  attributes: Record<string, string>;
  description: string;
}

export function findEventBlocks(raw: string): EventBlock[] {
  return [...raw.matchAll(EVENT_BLOCK)].map((m) => ({
    attributes: parseBbcodeAttributes(m[1] ?? ""),
    description: (m[2] ?? "").trim(),
  }));
}

/** camelCase → dasherised data attribute name, as the plugin's markdown rule does. */
export const dasherize = (k: string): string => k.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
