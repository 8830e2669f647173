/** Seeded fault injection: 5xx answers, dropped connections and added latency. */
export interface FaultConfig {
  errorRate?: number;
  dropRate?: number;
  latencyMs?: number;
  seed?: number;
  routes?: string[];
}

export type FaultDecision = { kind: "none" } | { kind: "error"; status: number } | { kind: "drop" };

/** mulberry32: small, fast, and reproducible for a given seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ERROR_STATUSES = [500, 502, 503];

export class Faults {
  private config: FaultConfig | null = null;
  private random: () => number = prng(1);
  private readonly defaultSeed: number;

  constructor(seed: number) {
    this.defaultSeed = seed;
  }

  set(config: FaultConfig | null): void {
    this.config = config;
    this.random = prng(config?.seed ?? this.defaultSeed);
  }

  latency(route: string): number {
    return this.applies(route) ? (this.config?.latencyMs ?? 0) : 0;
  }

  decide(route: string): FaultDecision {
    const c = this.config;
    if (!c || !this.applies(route)) return { kind: "none" };
    const roll = this.random();
    const drop = c.dropRate ?? 0;
    if (roll < drop) return { kind: "drop" };
    if (roll < drop + (c.errorRate ?? 0)) {
      return {
        kind: "error",
        status: ERROR_STATUSES[Math.floor(this.random() * ERROR_STATUSES.length)] as number,
      };
    }
    return { kind: "none" };
  }

  private applies(route: string): boolean {
    const routes = this.config?.routes;
    return !routes || routes.length === 0 || routes.includes(route);
  }
}
