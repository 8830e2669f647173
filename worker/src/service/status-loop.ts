/**
 * Publishes the status topic at start and shortly after runs finish (debounced, so a burst of runs makes
 * one edit). Failures are logged and retried at the next trigger; they never affect syncing.
 */
import type { Logger } from "../core/logger.ts";
import type { StatusDocument } from "../core/status.ts";
import type { StatusPublisher } from "./status-topic.ts";

export interface StatusLoop {
  trigger(): void;
  close(): Promise<void>;
}

export function startStatusLoop(o: {
  publisher: StatusPublisher;
  status: () => Promise<StatusDocument>;
  logger: Logger;
  debounceMs: number;
}): StatusLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  const publish = async () => {
    try {
      const result = await o.publisher.publish(await o.status());
      if (result !== "unchanged") o.logger.info({ result }, "status topic published");
    } catch (err) {
      o.logger.warn({ err: (err as Error).message }, "could not publish the status topic");
    }
  };
  const trigger = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = running.then(publish);
    }, o.debounceMs);
    timer.unref();
  };
  trigger();
  return {
    trigger,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
