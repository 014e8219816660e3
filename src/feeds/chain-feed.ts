/**
 * The on-chain source of target fills: OrderFilled logs of the exchanges whose `maker` is a target,
 * over a WebSocket subscription (fast path: about one block after the fill) and eth_getLogs polling
 * (backbone: backfills every gap, survives a dead socket), emitted after `confirmations` blocks on the
 * canonical chain. See src/chain/log-tracker.ts for reorgs and docs/feeds.md for the cross-source rule.
 */
import type { TargetTradeSeen } from '../core/events.ts';
import type { EngineEvent } from '../core/events.ts';
import type { TargetTrade } from '../core/types.ts';
import { type BlockHeader, type ConfirmedFill, LogTracker, type TrackerRpc } from '../chain/log-tracker.ts';
import { fillOf, makerTopics, type OrderFilled, type RawLog } from '../chain/order-filled.ts';
import { RetryingRpcProvider } from '../chain/rpc.ts';
import { WsSubscriber } from '../chain/ws-subscriber.ts';
import { Backoff, type Feed, type FeedCommon, type FeedHealth, HealthTracker, describeError, stderrLog } from './feed.ts';

export interface TokenMeta {
  conditionId: string;
  outcome: string;
  outcomeIndex?: number;
  slug?: string;
  title?: string;
}

export interface ChainFeedOptions extends FeedCommon {
  wallets: string[];
  /** HTTP JSON-RPC (eth_getLogs, blocks). */
  rpcUrl: string;
  /** WebSocket JSON-RPC (eth_subscribe); without it the feed polls only. */
  wsUrl?: string;
  /** The exchanges whose OrderFilled counts (regular and neg-risk). */
  exchanges: string[];
  /** Blocks including the fill's own before it is emitted (default 2: one block after the fill). */
  confirmations?: number;
  /** Poll cadence while the socket is down (default 2 s) and as a safety net while it is up (default 10 s). */
  pollIntervalMs?: number;
  safetyPollMs?: number;
  /** Wallets per topic filter (default 200): 500 targets are three filters. */
  walletsPerFilter?: number;
  /** Most blocks per eth_getLogs call (default 1000). */
  maxBlockRange?: number;
  /** First block to read (default: the head at start, i.e. fills from now on). */
  startBlock?: number;
  /** Market of a token (condition id, outcome), for fills the logs do not name. */
  describeToken?: (tokenId: string) => Promise<TokenMeta | undefined>;
  /** A fill emitted earlier that a reorg removed for good. */
  onAlert?: (message: string, fill: OrderFilled) => void;
}

export interface ChainHealth extends FeedHealth {
  headBlock: number;
  pendingLogs: number;
  reorgs: number;
  retracted: number;
  rpcRetries: number;
}

export class ChainFeed implements Feed {
  readonly name = 'chain';
  private readonly o: Required<
    Pick<ChainFeedOptions, 'confirmations' | 'pollIntervalMs' | 'safetyPollMs' | 'walletsPerFilter' | 'maxBlockRange'>
  > &
    ChainFeedOptions;
  private readonly now: () => number;
  private readonly log;
  private readonly provider: RetryingRpcProvider;
  private readonly health_ = new HealthTracker('chain');
  private tracker?: LogTracker;
  private ws?: WsSubscriber;
  private emit?: (e: EngineEvent) => void;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private seq = 0;
  private readonly tokenMeta = new Map<string, TokenMeta | undefined>();
  private readonly wallets: Set<string>;
  private readonly exchanges: Set<string>;

  constructor(options: ChainFeedOptions) {
    this.o = { confirmations: 2, pollIntervalMs: 2000, safetyPollMs: 10_000, walletsPerFilter: 200, maxBlockRange: 1000, ...options };
    if (this.o.confirmations < 1) throw new Error('chain feed: confirmations must be at least 1');
    this.now = options.now ?? Date.now;
    this.log = options.log ?? stderrLog;
    this.provider = new RetryingRpcProvider(options.rpcUrl);
    this.wallets = new Set(options.wallets.map((w) => w.toLowerCase()));
    this.exchanges = new Set(options.exchanges.map((e) => e.toLowerCase()));
  }

  private filters(): { address: string[]; topics: (string | string[] | null)[] }[] {
    const list = [...this.wallets];
    const out = [];
    for (let i = 0; i < list.length; i += this.o.walletsPerFilter) {
      out.push({ address: this.o.exchanges, topics: makerTopics(list.slice(i, i + this.o.walletsPerFilter)) });
    }
    return out;
  }

  /** Topic filters in use (one per chunk of wallets). */
  get filterCount(): number {
    return Math.ceil(this.wallets.size / this.o.walletsPerFilter);
  }

  async start(emit: (event: EngineEvent) => void): Promise<void> {
    this.emit = emit;
    this.stopped = false;
    const rpc: TrackerRpc = {
      head: async () => header(await this.provider.send('eth_getBlockByNumber', ['latest', false])),
      block: async (n) => {
        const b = await this.provider.send('eth_getBlockByNumber', ['0x' + n.toString(16), false]);
        return b ? header(b) : undefined;
      },
      logs: async (from, to) => {
        const all: RawLog[] = [];
        for (const f of this.filters()) {
          const got = (await this.provider.send('eth_getLogs', [
            { ...f, fromBlock: '0x' + from.toString(16), toBlock: '0x' + to.toString(16) },
          ])) as Record<string, unknown>[];
          all.push(...got.map(rawLog));
        }
        return all;
      },
    };
    let start = this.o.startBlock;
    if (start === undefined) {
      try {
        start = (await rpc.head()).number;
      } catch (err) {
        this.log('warn', `chain: head not read (${describeError(err)}); starting from block 0 once the RPC answers`);
        start = 0;
      }
    }
    this.tracker = new LogTracker(rpc, this.o.confirmations, start, this.o.maxBlockRange, (msg, fill) => {
      this.log('error', `chain: ${msg} (tx ${fill.txHash}, block ${fill.blockNumber})`);
      this.o.onAlert?.(msg, fill);
    });
    if (this.o.wsUrl) {
      const backoff = new Backoff(250, 15_000);
      this.ws = new WsSubscriber({
        url: this.o.wsUrl,
        filters: this.filters(),
        onLog: (l) => {
          this.health_.message(this.now());
          this.tracker?.observe(l);
          this.kick();
        },
        onHead: () => {
          this.health_.message(this.now());
          this.kick();
        },
        onState: (up) => {
          this.health_.connected = up;
          if (up) {
            backoff.reset();
            this.kick(); // backfill whatever the gap missed
          } else if (!this.stopped) this.log('warn', 'chain: WebSocket down; polling eth_getLogs until it is back');
        },
        backoffMs: () => backoff.next(),
      });
      this.ws.start();
    } else {
      this.health_.connected = true;
    }
    await this.round();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.stop();
    await this.running?.catch(() => {});
  }

  health(): ChainHealth {
    const s = this.tracker?.stats;
    const snap = this.health_.snapshot();
    return {
      ...snap,
      reconnects: this.ws?.reconnects ?? 0,
      headBlock: s?.headBlock ?? 0,
      pendingLogs: this.tracker?.pendingCount ?? 0,
      reorgs: s?.reorgs ?? 0,
      retracted: s?.retracted ?? 0,
      rpcRetries: this.provider.retries,
    };
  }

  /** Drops the WebSocket as a network fault would (chaos). */
  dropSocket(): void {
    this.ws?.drop();
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.round();
  }

  private round(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const run = (async () => {
      try {
        const fills = await this.tracker!.advance();
        for (const f of fills) await this.deliver(f);
        if (!this.o.wsUrl) this.health_.message(this.now());
      } catch (err) {
        this.health_.gaps++;
        this.log('warn', `chain: RPC round failed (${describeError(err)}); retrying`);
      }
    })();
    this.running = run.finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        void this.round();
        return;
      }
      const every = this.ws?.connected ? this.o.safetyPollMs : this.o.pollIntervalMs;
      this.timer = setTimeout(() => void this.round(), every);
    });
    return this.running;
  }

  private async meta(tokenId: string): Promise<TokenMeta | undefined> {
    if (this.tokenMeta.has(tokenId)) return this.tokenMeta.get(tokenId);
    const m = await this.o.describeToken?.(tokenId).catch(() => undefined);
    if (m) this.tokenMeta.set(tokenId, m);
    return m;
  }

  private async deliver(c: ConfirmedFill): Promise<void> {
    const f = fillOf(c.event);
    if (!f || !this.wallets.has(f.wallet)) return;
    const meta = await this.meta(f.tokenId);
    const trade: TargetTrade = {
      wallet: f.wallet,
      txHash: c.event.txHash,
      tokenId: f.tokenId,
      conditionId: meta?.conditionId ?? '',
      side: f.side,
      sizeMicros: f.sizeMicros,
      priceMicros: f.priceMicros,
      usdcMicros: f.usdcMicros,
      outcome: meta?.outcome ?? '',
      ...(meta?.outcomeIndex !== undefined ? { outcomeIndex: meta.outcomeIndex } : {}),
      ...(meta?.slug ? { slug: meta.slug } : {}),
      ...(meta?.title ? { title: meta.title } : {}),
    };
    const tsRecv = this.now();
    this.health_.trade(c.blockTimestampMs, tsRecv);
    const event: TargetTradeSeen = { type: 'target_trade', source: 'chain', seq: ++this.seq, tsEvent: c.blockTimestampMs, tsRecv, trade };
    // The exchange as taker: the target's order took, and this one event totals the whole match.
    if (this.exchanges.has(c.event.taker)) event.orderTotal = true;
    this.emit?.(event);
  }
}

function header(b: unknown): BlockHeader {
  const x = b as Record<string, string>;
  return {
    number: parseInt(x.number!, 16),
    hash: x.hash!.toLowerCase(),
    parentHash: x.parentHash!.toLowerCase(),
    timestampSec: parseInt(x.timestamp!, 16),
  };
}

function rawLog(r: Record<string, unknown>): RawLog {
  const num = (v: unknown) => (typeof v === 'string' ? parseInt(v, 16) : Number(v));
  return {
    address: String(r.address),
    topics: r.topics as string[],
    data: String(r.data),
    blockNumber: num(r.blockNumber),
    blockHash: String(r.blockHash),
    transactionHash: String(r.transactionHash),
    logIndex: num(r.logIndex),
    removed: r.removed === true,
  };
}
