/** What every sandbox route and feed shares. */
import type { Exchange } from './exchange/exchange.ts';
import type { ExchangeEvent } from './exchange/types.ts';
import type { FaultState } from './faults.ts';
import type { Scenario } from './scenario.ts';
import type { SandboxChain } from './chain/sandbox-chain.ts';

/** Forwards exchange events to the feeds; survives a reset that swaps the exchange. */
export class EventBus {
  private readonly listeners = new Set<(e: ExchangeEvent) => void>();
  on(listener: (e: ExchangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(e: ExchangeEvent): void {
    for (const l of this.listeners) l(e);
  }
}

export interface SandboxContext {
  /** Swapped by a reset; always read it through the context. */
  exchange: Exchange;
  bus: EventBus;
  faults: FaultState;
  scenario: Scenario;
  /** Chain id orders and L1 headers are verified against (137 unless told otherwise). */
  chainId: number;
  now: () => number;
  /** API key → last heartbeat time (ms); keys that started heartbeats and stop are cancelled after 10 s. */
  heartbeats: Map<string, number>;
  /** The local chain, when the sandbox runs with one. */
  chain?: SandboxChain;
}
