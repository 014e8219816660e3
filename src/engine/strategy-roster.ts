/**
 * The run's strategy instances, in config order (then those added while running), and which of them
 * hear a wallet's trades and a token's market data. Strategies added or stopped at run time (targets
 * over the control API) join or leave the routes here; a stopped instance stays in the list, so its
 * ledger still shows and its id can be started again.
 */
import { ConfigError } from '../core/errors.ts';
import { StrategyInstance, type StrategySpec } from '../strategy/strategy-instance.ts';

export class StrategyRoster {
  /** Every instance; the control view holds this same array, so it is only ever changed in place. */
  readonly all: StrategyInstance[] = [];
  private readonly byWallet = new Map<string, StrategyInstance[]>();
  private readonly byToken = new Map<string, StrategyInstance[]>();

  constructor(specs: readonly StrategySpec[]) {
    for (const spec of specs) this.route(this.push(new StrategyInstance(spec, this.all.length)));
  }

  byId(id: string): StrategyInstance | undefined {
    return this.all.find((s) => s.id === id);
  }

  /**
   * Adds an instance; an id that belongs to a stopped one replaces it. Throws a ConfigError when an
   * instance with that id is running, a StrategyError when the new one fails to start.
   */
  add(spec: StrategySpec): StrategyInstance {
    const strategy = new StrategyInstance(spec, this.all.length);
    const index = this.all.findIndex((s) => s.id === strategy.id);
    if (index >= 0 && !this.all[index]!.stopped) throw new ConfigError(`a strategy with id "${strategy.id}" is already running`);
    if (index >= 0) this.all.splice(index, 1, strategy);
    else this.push(strategy);
    return this.route(strategy);
  }

  /** Stops an instance for good and takes it off every route; undefined when there is none. */
  stop(id: string, reason: string): StrategyInstance | undefined {
    const strategy = this.byId(id);
    if (!strategy || strategy.stopped) return strategy;
    strategy.stop(reason);
    for (const map of [this.byWallet, this.byToken]) {
      for (const [key, list] of map) {
        const kept = list.filter((s) => s !== strategy);
        if (kept.length > 0) map.set(key, kept);
        else map.delete(key);
      }
    }
    return strategy;
  }

  /** The instances following a wallet (lower-cased), or undefined when nobody does. */
  following(wallet: string): readonly StrategyInstance[] | undefined {
    return this.byWallet.get(wallet);
  }

  /** The instances watching a token's book, or undefined. */
  watching(tokenId: string): readonly StrategyInstance[] | undefined {
    return this.byToken.get(tokenId);
  }

  wallets(): string[] {
    return [...this.byWallet.keys()];
  }

  tokens(): string[] {
    return [...this.byToken.keys()];
  }

  private push(strategy: StrategyInstance): StrategyInstance {
    this.all.push(strategy);
    return strategy;
  }

  private route(strategy: StrategyInstance): StrategyInstance {
    for (const w of new Set(strategy.wallets)) push(this.byWallet, w, strategy);
    for (const t of new Set(strategy.tokens)) push(this.byToken, t, strategy);
    return strategy;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
