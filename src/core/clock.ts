/**
 * The engine's only source of time. Live and paper use the wall clock (SessionClock); replay uses a virtual clock
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

/**
 * The clock of a paper or live session: wall time, except while the engine handles one event
 * (`during`): then time stands at the moment handling began. The recording stamps each event with
 * that moment, and everything the event caused (decisions, orders, fills at latency 0) carries it
 * too, so a replay on a VirtualClock meets the same times in the same order. Moments never go back,
 * and events handled within one millisecond must come in the recording's order for equal times (its
 * `rank`, by kind): one that ranks before an earlier event of the same moment gets the next
 * millisecond, so the replay cannot reorder them. Only that case runs the clock ahead of the wall.
 */
export class SessionClock implements Clock {
  private heldMs: number | undefined;
  private lastMs = Number.NEGATIVE_INFINITY;
  private lastRank = Number.NEGATIVE_INFINITY;

  constructor(private readonly wall: () => number = () => Date.now()) {}

  now(): number {
    return this.heldMs ?? Math.max(this.wall(), this.lastMs);
  }

  /** Runs `fn` at one fixed moment (see above); a call inside another shares its moment. */
  during<T>(fn: () => T, rank?: number): T {
    if (this.heldMs !== undefined) return fn();
    const wall = this.wall();
    let moment = Math.max(wall, this.lastMs);
    if (moment === this.lastMs && rank !== undefined && rank < this.lastRank) moment = this.lastMs + 1;
    if (moment !== this.lastMs) this.lastRank = Number.NEGATIVE_INFINITY;
    if (rank !== undefined) this.lastRank = Math.max(this.lastRank, rank);
    this.lastMs = moment;
    this.heldMs = moment;
    try {
      return fn();
    } finally {
      this.heldMs = undefined;
    }
  }

  setTimer(atMs: number, fire: (atMs: number) => void): () => void {
    const handle = setTimeout(() => this.during(() => fire(atMs)), Math.max(0, atMs - this.now()));
    handle.unref?.();
    return () => clearTimeout(handle);
  }
}
