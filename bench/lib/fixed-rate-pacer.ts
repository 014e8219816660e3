/**
 * A pacer that releases events at a fixed rate in wall time (e.g. 500/s), in small ticks so it
 * does not need one timer per event. Wall time on purpose: it only decides when an event is handed
 * over, like the TUI's own pacer.
 */
import type { Pacer } from '../../src/modes/replay-loop.ts';

export class FixedRatePacer implements Pacer {
  private startMs: number | undefined;
  private released = 0;

  constructor(
    private readonly eventsPerSecond: number,
    private readonly tickMs = 10,
  ) {}

  get eventsReleased(): number {
    return this.released;
  }

  wait(): Promise<void> | undefined {
    const now = performance.now();
    this.startMs ??= now;
    const dueMs = this.startMs + (this.released * 1000) / this.eventsPerSecond;
    this.released++;
    if (dueMs - now < this.tickMs) return undefined;
    return new Promise((resolve) => setTimeout(resolve, dueMs - now));
  }
}
