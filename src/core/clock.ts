/**
 * The engine's only source of time. Live and paper use a wall clock; replay uses a virtual clock
 * driven by event time. Nothing in core, risk, strategies or the sim may read `Date.now` or set
 * timers of its own: they ask the Clock, so a replay is deterministic.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `fire(atMs)` once the clock reaches `atMs`. Returns a cancel function. */
  setTimer(atMs: number, fire: (atMs: number) => void): () => void;
}

interface PendingTimer {
  atMs: number;
  order: number;
  fire: (atMs: number) => void;
  cancelled: boolean;
}

/**
 * Event-time clock for replay and tests. It only moves forward: `advanceTo` an earlier time is
 * ignored (the clock stays put), so an out-of-order event can never rewind accounting or daily limits.
 * Timers fire in time order (ties in creation order) as the clock passes them.
 */
export class VirtualClock implements Clock {
  private nowMs: number;
  private timers: PendingTimer[] = [];
  private created = 0;

  constructor(startMs = 0) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimer(atMs: number, fire: (atMs: number) => void): () => void {
    const timer: PendingTimer = { atMs, order: this.created++, fire, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Moves to `tsMs` (never backwards), firing every timer due on the way at its own time. */
  advanceTo(tsMs: number): void {
    for (;;) {
      const next = this.nextDue(tsMs);
      if (!next) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      if (next.atMs > this.nowMs) this.nowMs = next.atMs;
      if (!next.cancelled) next.fire(next.atMs);
    }
    if (tsMs > this.nowMs) this.nowMs = tsMs;
  }

  /** Time of the earliest live timer, if any. */
  nextTimerMs(): number | undefined {
    let best: number | undefined;
    for (const t of this.timers) if (!t.cancelled && (best === undefined || t.atMs < best)) best = t.atMs;
    return best;
  }

  private nextDue(limitMs: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers) {
      if (t.cancelled || t.atMs > limitMs) continue;
      if (!best || t.atMs < best.atMs || (t.atMs === best.atMs && t.order < best.order)) best = t;
    }
    return best;
  }
}

/** Wall-clock time for live and paper. Lives in core only as an adapter; the engine sees `Clock`. */
export class WallClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(atMs: number, fire: (atMs: number) => void): () => void {
    const handle = setTimeout(() => fire(atMs), Math.max(0, atMs - Date.now()));
    handle.unref?.();
    return () => clearTimeout(handle);
  }
}
