/** Outgoing webhooks as WebHookEmitter sends them, signed with HMAC-SHA256 when a secret is set. */
import { createHmac } from "node:crypto";
import type { WebhookEvent } from "./context.ts";

export interface WebhookTarget {
  url: string;
  secret?: string;
}

export interface WebhookDelivery {
  url: string;
  event: string;
  status: number | null;
  error?: string;
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export class WebhookEmitter {
  private nextId = 1;
  private readonly pending = new Set<Promise<void>>();
  readonly deliveries: WebhookDelivery[] = [];
  private readonly targets: WebhookTarget[];
  private readonly instance: () => string;

  constructor(targets: WebhookTarget[], instance: () => string) {
    this.targets = targets;
    this.instance = instance;
  }

  emit(event: WebhookEvent): void {
    for (const target of this.targets) {
      const body = JSON.stringify({ [event.type]: event.payload });
      const headers: Record<string, string> = {
        Accept: "*/*",
        "Content-Type": "application/json",
        "User-Agent": "Discourse/3.5.0",
        "X-Discourse-Instance": this.instance(),
        "X-Discourse-Event-Id": String(this.nextId++),
        "X-Discourse-Event-Type": event.type,
        "X-Discourse-Event": event.name,
      };
      if (target.secret) headers["X-Discourse-Event-Signature"] = signature(target.secret, body);
      const delivery: WebhookDelivery = { url: target.url, event: event.name, status: null };
      this.deliveries.push(delivery);
      const p = fetch(target.url, { method: "POST", headers, body })
        .then(async (r) => {
          delivery.status = r.status;
          await r.arrayBuffer();
        })
        .catch((e: unknown) => {
          delivery.error = e instanceof Error ? e.message : String(e);
        })
        .finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  /** Resolves when every delivery started so far has finished. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  reset(): void {
    this.deliveries.length = 0;
    this.nextId = 1;
  }
}
