import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SlidingWindowLimiter } from "../../emulator/rate-limiter.ts";

describe("SlidingWindowLimiter", () => {
  it("allows max hits per window and reports the wait in whole seconds, as Redis timestamps do", () => {
    const l = new SlidingWindowLimiter();
    assert.equal(l.perform("k", 2, 60, 100_900), 0);
    assert.equal(l.perform("k", 2, 60, 101_000), 0);
    // 30.4 s after the oldest hit, but stored seconds are 100 and 130: 30 s old, 30 s to wait
    assert.equal(l.perform("k", 2, 60, 130_400), 30);
    assert.equal(l.perform("k", 2, 60, 159_999), 1);
    assert.equal(l.perform("k", 2, 60, 160_000), 0, "the oldest is now 60 s old");
    assert.equal(
      l.perform("k", 2, 60, 160_500),
      1,
      "the window slid: the second hit (101 s) is now the oldest",
    );
  });

  it("blocks everything when max <= 0 and can undo a hit", () => {
    const l = new SlidingWindowLimiter();
    assert.equal(l.perform("x", 0, 15, 0), 15);
    assert.equal(l.perform("y", 1, 15, 0), 0);
    assert.equal(l.perform("y", 1, 15, 1_000), 14);
    l.rollback("y");
    assert.equal(l.perform("y", 1, 15, 1_000), 0);
  });
});
