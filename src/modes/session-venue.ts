/**
 * The venue of a live or paper session. Paper: SimVenue walking the live books. Live: ClobVenue on
 * the official SDK, with the intent journal, behind a filter that drops fills we already own (a
 * restart re-reads trades of adopted orders), plus start-up recovery of fills the previous process
 * did not live to record.
 */
import type { Clock } from '../core/clock.ts';
import type { OrderEvent } from '../core/events.ts';
import type { IdSource } from '../core/ids.ts';
import type { MarketRegistry } from '../core/market-registry.ts';
import type { Micros } from '../core/money.ts';
import type { BookRegistry } from '../core/order-book.ts';
import type { MarketDataEvent } from '../core/events.ts';
import type { Venue } from '../core/ports.ts';
import type { Order } from '../core/types.ts';
import { loadAccount, loadApiCreds, PRIVATE_KEY_ENV, type LiveAccount } from '../wallet/index.ts';
import { ClobVenue, FileIntentJournal, type RecoveredIntent, type ResendRule } from '../exec/clob/index.ts';
import { fillPartsFor, isFailedTrade, orderIdsOf, toFill } from '../exec/clob/trade-fills.ts';
import { SimVenue, type FillModel } from '../exec/sim/sim-venue.ts';
import type { PolytailConfig } from '../config/config.ts';
import type { FeedLog } from '../feeds/feed.ts';
import type { DurableState } from '../live/durable-state.ts';
import { resolveFillModel } from './replay-session.ts';

export interface SessionVenue {
  venue: Venue;
  /** `book-walk` etc. for paper, `clob` for live. */
  fillModel: FillModel | 'clob';
  clob?: ClobVenue;
  journal?: FileIntentJournal;
  account?: LiveAccount;
  /** Live: our token balance on the venue (position sync). */
  venueBalance?: (tokenId: string) => Promise<Micros>;
  close(): Promise<void>;
}

export interface VenueDeps {
  mode: 'paper' | 'live';
  config: PolytailConfig;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  ids: IdSource;
  books: BookRegistry;
  markets: MarketRegistry;
  state: DurableState;
  log: FeedLog;
  /** Key to use when the environment has none (the sandbox's public test key). */
  fallbackKey?: string;
}

export async function buildVenue(deps: VenueDeps): Promise<SessionVenue> {
  if (deps.mode === 'paper') {
    const fillModel = resolveFillModel(deps.config.fillModel, true);
    const venue = new SimVenue({
      clock: deps.clock,
      ids: deps.ids,
      books: deps.books,
      markets: deps.markets,
      fillModel,
      slippageTicks: deps.config.slippageTicks,
      latencyMs: deps.config.latencyMs,
      latencySamplesMs: deps.config.latencySamplesMs,
      noticeSamplesMs: deps.config.fillNoticeSamplesMs,
      latencySeed: deps.config.seed,
    });
    return { venue, fillModel, close: async () => {} };
  }
  const env = deps.env[PRIVATE_KEY_ENV] || !deps.fallbackKey ? deps.env : { ...deps.env, [PRIVATE_KEY_ENV]: deps.fallbackKey };
  const account = loadAccount(env, deps.config);
  const { creds } = await loadApiCreds(account);
  // Each intent carries its cause key's facts: the session journal fsyncs keys off the copy path.
  const journal = FileIntentJournal.open(account.dataDir, undefined, { causeOf: (key) => deps.state.keyFacts(key) });
  const clob = ClobVenue.create(account, creds, {
    journal,
    host: account.clobHost,
    onError: (error, ctx) =>
      deps.log(
        error.retryable || error.outcomeUnknown ? 'warn' : 'info',
        `venue ${ctx.action}${ctx.clientOrderId ? ` ${ctx.clientOrderId}` : ''}: ${error.message}`,
      ),
  });
  const venue = new KnownFillFilter(clob, deps.state);
  return {
    venue,
    fillModel: 'clob',
    clob,
    journal,
    account,
    venueBalance: async (tokenId) => (await clob.api.tokenBalance(tokenId)).balanceMicros,
    close: async () => {
      await clob.close();
      journal.close();
    },
  };
}

/** Passes the live venue's events on, minus fills already ours (recorded by an earlier process). */
export class KnownFillFilter implements Venue {
  readonly name: string;
  dropped = 0;

  constructor(
    readonly inner: Venue,
    private readonly state: DurableState,
  ) {
    this.name = inner.name;
  }

  attach(emit: (event: OrderEvent) => void): void {
    this.inner.attach((event) => {
      if ((event.type === 'order_filled' || event.type === 'order_partially_filled') && this.state.hasFill(event.fill.fillId)) {
        this.dropped++;
        return;
      }
      emit(event);
    });
  }
  submit(order: Order): void {
    this.inner.submit(order);
  }
  cancel(clientOrderId: string, reason: string): void {
    this.inner.cancel(clientOrderId, reason);
  }
  cancelAll(reason: string): void {
    this.inner.cancelAll(reason);
  }
  onMarketData(event: MarketDataEvent): void {
    this.inner.onMarketData?.(event);
  }
  openOrders(): Order[] {
    return this.inner.openOrders();
  }
}

export interface LiveRecovery {
  intents: RecoveredIntent[];
  /** Fills of ours found on the CLOB that no earlier process recorded. */
  recoveredFills: number;
}

/**
 * Before any new order: reconcile intents that never got an outcome (posting again, under `resend`,
 * signed orders the CLOB never saw), then read our trades since the oldest recent intent and hand
 * every fill nobody recorded to the engine (`emit`).
 */
export async function recoverLive(
  clob: ClobVenue,
  journal: FileIntentJournal | undefined,
  state: DurableState,
  emit: (e: OrderEvent) => void,
  nowMs: number,
  resend?: ResendRule,
  lookbackMs = 24 * 3600_000,
): Promise<LiveRecovery> {
  const intents = await clob.recoverPending(resend);
  await clob.idle();
  const byHash = new Map<string, Order>();
  let oldest = Number.POSITIVE_INFINITY;
  // An order whose fill was booked from the POST answer (trades not found in time) has a fill id
  // that is not a trade id: its trades must not be booked a second time.
  const bookedFromPost = new Set(state.snapshot.fills.filter((f) => f.fill.fillId.endsWith(':post')).map((f) => f.fill.clientOrderId));
  for (const e of journal?.entries() ?? []) {
    if (e.intent.signedAtMs < nowMs - lookbackMs || bookedFromPost.has(e.intent.clientOrderId)) continue;
    byHash.set(e.intent.orderHash.toLowerCase(), e.intent.order);
    oldest = Math.min(oldest, e.intent.signedAtMs);
  }
  let recoveredFills = 0;
  if (byHash.size === 0) return { intents, recoveredFills };
  const trades = await clob.api.fetchTrades({ after: String(Math.floor(oldest / 1000) - 60) });
  for (const trade of [...trades].reverse()) {
    if (isFailedTrade(trade)) continue;
    for (const hash of orderIdsOf(trade)) {
      const order = byHash.get(hash);
      if (!order) continue;
      for (const part of fillPartsFor(trade, hash)) {
        if (state.hasFill(part.fillId)) continue;
        const fill = toFill(order, part);
        emit({ type: 'order_partially_filled', order, fill, tsEvent: fill.tsMs || nowMs, tsRecv: nowMs });
        recoveredFills++;
      }
    }
  }
  return { intents, recoveredFills };
}
