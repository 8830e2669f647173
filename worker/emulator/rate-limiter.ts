/**
 * lib/rate_limiter.rb: a sliding window of the last `max` timestamps per key, kept in whole seconds
 * (Time.now.to_i). Allowed while fewer than `max` entries exist or the oldest is at least `secs` old;
 * the wait is `secs - age of the oldest`. `max <= 0` blocks everything.
 */
export class SlidingWindowLimiter {
  private readonly windows = new Map<string, number[]>();

  /** Records a hit and returns 0, or returns the whole seconds to wait without recording. */
  perform(key: string, max: number, secs: number, now: number): number {
    const wait = this.waitSeconds(key, max, secs, now);
    if (wait > 0) return wait;
    const list = this.windows.get(key) ?? [];
    list.push(Math.floor(now / 1000));
    while (list.length > Math.max(max, 0)) list.shift();
    this.windows.set(key, list);
    return 0;
  }

  waitSeconds(key: string, max: number, secs: number, now: number): number {
    if (max <= 0) return secs;
    const list = this.windows.get(key) ?? [];
    if (list.length < max) return 0;
    const oldest = list[list.length - max] as number;
    const age = Math.floor(now / 1000) - oldest;
    return age >= secs ? 0 : secs - age;
  }

  /** Undo the latest hit (Discourse rolls back create_topic when the post fails). */
  rollback(key: string): void {
    this.windows.get(key)?.pop();
  }

  clear(): void {
    this.windows.clear();
  }
}
