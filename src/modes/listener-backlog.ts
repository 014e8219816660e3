/**
 * What the engine reported before a late listener attached, handed to it in order when it does.
 *
 * A session starts copying as soon as its feeds are up, which is before `--serve` brings the control
 * server up: the first Data API round and the markets' first loads can copy, fill and even halt on
 * the daily-loss limit in that window. Without this, /metrics counted from the server's start and the
 * alert rules never saw a halt that came first. The session attaches this to its engine from the
 * start; a late listener attached through it gets the held calls replayed, then every call live.
 *
 * Holding is bounded: it stops for good at `limit` calls or when `stopHolding()` is called (once every
 * late listener is attached), so a session nobody serves does not keep its events alive.
 */
import type { EngineListener } from '../core/ports.ts';

type Call = (listener: EngineListener) => void;

export class ListenerBacklog implements EngineListener {
  private held: Call[] | undefined = [];
  private readonly live: EngineListener[] = [];

  constructor(private readonly limit = 5_000) {}

  /** Calls held back but dropped because the limit was reached (a late listener missed them). */
  dropped = 0;

  attach(listener: EngineListener): void {
    for (const call of this.held ?? []) call(listener);
    this.live.push(listener);
  }

  stopHolding(): void {
    this.held = undefined;
  }

  onEvent(...args: Parameters<NonNullable<EngineListener['onEvent']>>): void {
    this.pass((l) => l.onEvent?.(...args));
  }
  onDecision(...args: Parameters<NonNullable<EngineListener['onDecision']>>): void {
    this.pass((l) => l.onDecision?.(...args));
  }
  onOrderEvent(...args: Parameters<NonNullable<EngineListener['onOrderEvent']>>): void {
    this.pass((l) => l.onOrderEvent?.(...args));
  }
  onEquity(...args: Parameters<NonNullable<EngineListener['onEquity']>>): void {
    this.pass((l) => l.onEquity?.(...args));
  }
  onAlert(...args: Parameters<NonNullable<EngineListener['onAlert']>>): void {
    this.pass((l) => l.onAlert?.(...args));
  }
  onRiskState(...args: Parameters<NonNullable<EngineListener['onRiskState']>>): void {
    this.pass((l) => l.onRiskState?.(...args));
  }

  private pass(call: Call): void {
    if (this.held) {
      if (this.held.length < this.limit) this.held.push(call);
      else {
        this.dropped = this.held.length;
        this.held = undefined;
      }
    }
    for (const l of this.live) call(l);
  }
}
