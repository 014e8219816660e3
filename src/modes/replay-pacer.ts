/**
 * Paces a replay for people watching it in the TUI: event time runs at `speed` × real time, long
 * quiet gaps are cut short, and the user can pause, step and change the speed. Wall time is used
 * here on purpose: it only decides *when* the next event is handed over, never what happens to it.
 */
import type { EngineEvent } from '../core/events.ts';
import type { ReplayControl } from '../core/replay-control.ts';
import type { Pacer } from './replay-loop.ts';

const SPEEDS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, Number.POSITIVE_INFINITY];
/** A gap in the recording longer than this (wall time at the current speed) is skipped. */
const MAX_WAIT_MS = 1500;

export class ReplayPacer implements Pacer, ReplayControl {
  paused = false;
  replayTimeMs = 0;
  private speedIndex: number;
  private done = 0;
  private anchor: { wallMs: number; eventMs: number } | undefined;
  private wake: (() => void) | undefined;
  private steps = 0;

  constructor(
    private readonly totalEvents: number,
    speed = 120,
  ) {
    const i = SPEEDS.findIndex((s) => s >= speed);
    this.speedIndex = i === -1 ? SPEEDS.length - 1 : i;
  }

  get speed(): number {
    return SPEEDS[this.speedIndex]!;
  }

  get progress(): number {
    return this.totalEvents > 0 ? Math.min(1, this.done / this.totalEvents) : 0;
  }

  wait(event: EngineEvent): Promise<void> | undefined {
    if (this.paused && this.steps === 0) return this.untilResumed().then(() => this.wait(event));
    if (this.steps > 0) {
      this.steps--;
      this.anchor = undefined;
      return undefined;
    }
    if (!Number.isFinite(this.speed)) return this.done % 500 === 0 ? sleep(0) : undefined;
    const now = Date.now();
    if (!this.anchor) this.anchor = { wallMs: now, eventMs: event.tsRecv };
    const dueWall = this.anchor.wallMs + (event.tsRecv - this.anchor.eventMs) / this.speed;
    const waitMs = dueWall - now;
    if (waitMs > MAX_WAIT_MS) {
      this.anchor = { wallMs: now + MAX_WAIT_MS, eventMs: event.tsRecv };
      return this.sleepUnlessInterrupted(MAX_WAIT_MS);
    }
    if (waitMs > 1) return this.sleepUnlessInterrupted(waitMs);
    return this.done % 200 === 0 ? sleep(0) : undefined;
  }

  progressed(eventsDone: number, tsMs: number): void {
    this.done = eventsDone;
    this.replayTimeMs = tsMs;
  }

  togglePause(): void {
    this.paused = !this.paused;
    this.anchor = undefined;
    this.interrupt();
  }

  faster(): void {
    this.speedIndex = Math.min(SPEEDS.length - 1, this.speedIndex + 1);
    this.anchor = undefined;
    this.interrupt();
  }

  slower(): void {
    this.speedIndex = Math.max(0, this.speedIndex - 1);
    this.anchor = undefined;
    this.interrupt();
  }

  step(): void {
    this.steps++;
    this.interrupt();
  }

  private untilResumed(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private sleepUnlessInterrupted(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      this.wake = finish;
      function finish() {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private interrupt(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
