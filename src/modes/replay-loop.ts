/**
 * Drives recorded events through the engine on a virtual clock: the clock moves to each event's
 * receive time (firing strategy and latency timers on the way), then the engine handles the event.
 * An optional pacer slows this down for the TUI; headless replays run flat out.
 */
import type { VirtualClock } from '../core/clock.ts';
import type { EngineEvent } from '../core/events.ts';
import type { Engine } from '../engine/engine.ts';

/** Lets a viewer pause, step and set the speed. `wait` resolves when the next event may run. */
export interface Pacer {
  wait(event: EngineEvent): Promise<void> | undefined;
  /** Called after each event with the count so far. */
  progressed?(eventsDone: number, tsMs: number): void;
}

export interface ReplayLoopResult {
  events: number;
  firstTsMs?: number;
  lastTsMs?: number;
}

export async function replayEvents(
  engine: Engine,
  clock: VirtualClock,
  batches: AsyncIterable<EngineEvent[]> | Iterable<EngineEvent[]>,
  pacer?: Pacer,
  signal?: AbortSignal,
): Promise<ReplayLoopResult> {
  let events = 0;
  let firstTsMs: number | undefined;
  let lastTsMs: number | undefined;
  for await (const batch of batches) {
    for (const event of batch) {
      if (signal?.aborted) return { events, firstTsMs, lastTsMs };
      if (pacer) {
        const waiting = pacer.wait(event);
        if (waiting) await waiting;
      }
      clock.advanceTo(event.tsRecv);
      engine.handle(event);
      events++;
      firstTsMs ??= event.tsRecv;
      lastTsMs = event.tsRecv;
      pacer?.progressed?.(events, event.tsRecv);
    }
  }
  // Let latency and strategy timers that fall due within a minute after the last event fire.
  if (lastTsMs !== undefined) clock.advanceTo(lastTsMs + 60_000);
  engine.emitEquityNow();
  return { events, firstTsMs, lastTsMs };
}
