/**
 * RTDS (what @polymarket/real-time-data-client connects to): `activity/trades` for both sides of every
 * fill and `activity/orders_matched` once per fill, with no user filter (slug filters are ignored, as
 * reported for the real service). Answers text `ping` with `pong` and sends protocol ping frames.
 */
import WebSocket, { WebSocketServer } from 'ws';
import type { SandboxContext } from '../context.ts';
import type { LedgerFill } from '../exchange/types.ts';
import { FaultySender } from './faulty-sender.ts';

interface Subscription {
  topic: string;
  type: string;
}

export class RtdsServer {
  readonly wss = new WebSocketServer({ noServer: true });
  private readonly subs = new Map<WebSocket, { id: string; list: Subscription[] }>();
  private readonly sender: FaultySender;
  private readonly timers = new Set<NodeJS.Timeout>();
  private pinger?: NodeJS.Timeout;
  private connections = 0;

  constructor(
    private readonly ctx: SandboxContext,
    random: () => number,
  ) {
    this.sender = new FaultySender('rtds', ctx.faults, random);
    this.wss.on('connection', (ws) => this.accept(ws));
    ctx.bus.on((e) => {
      if (e.type !== 'fill') return;
      const delay = e.fill.settledAtMs - ctx.now();
      // RTDS reports trades once they are on chain; honour the settlement delay.
      if (delay <= 0) return this.broadcast(e.fill);
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.broadcast(e.fill);
      }, delay);
      this.timers.add(t);
    });
    const every = ctx.scenario.rtdsPingIntervalMs;
    if (every > 0) {
      this.pinger = setInterval(() => {
        for (const ws of this.subs.keys()) if (ws.readyState === WebSocket.OPEN) ws.ping();
      }, every);
      this.pinger.unref();
    }
  }

  private accept(ws: WebSocket): void {
    const entry = {
      id: Buffer.from(`conn-${++this.connections}-${this.ctx.now()}`).toString('base64').slice(0, 16),
      list: [] as Subscription[],
    };
    this.subs.set(ws, entry);
    ws.on('close', () => this.subs.delete(ws));
    ws.on('error', () => this.subs.delete(ws));
    ws.on('message', (data) => {
      const msg = data.toString();
      if (msg === 'ping' || msg === 'PING') return ws.send(msg === 'ping' ? 'pong' : 'PONG');
      let body: { action?: string; subscriptions?: { topic?: string; type?: string }[] };
      try {
        body = JSON.parse(msg);
      } catch {
        return;
      }
      const subs = (body.subscriptions ?? [])
        .filter((s) => typeof s.topic === 'string')
        .map((s) => ({ topic: s.topic!, type: s.type ?? '*' }));
      if (body.action === 'subscribe') entry.list.push(...subs);
      else if (body.action === 'unsubscribe')
        entry.list = entry.list.filter((s) => !subs.some((u) => u.topic === s.topic && u.type === s.type));
    });
  }

  private payload(f: LedgerFill, wallet: string, side: 'BUY' | 'SELL'): Record<string, unknown> {
    const m = this.ctx.exchange.markets.get(f.conditionId)!;
    const acct = this.ctx.exchange.accounts.get(wallet);
    return {
      asset: f.tokenId,
      conditionId: f.conditionId,
      side,
      price: f.priceMicros / 1e6,
      size: f.sizeMicros / 1e6,
      timestamp: Math.floor(f.tsMs / 1000),
      transactionHash: f.txHash,
      proxyWallet: wallet,
      outcome: f.outcome,
      outcomeIndex: f.outcomeIndex,
      name: acct.name,
      pseudonym: acct.pseudonym,
      bio: '',
      profileImage: '',
      icon: '',
      title: m.question,
      eventSlug: m.eventSlug,
      slug: m.slug,
    };
  }

  private broadcast(f: LedgerFill): void {
    // A delayed frame may outlive a reset that replaced the exchange and its markets.
    if (!this.ctx.exchange.markets.has(f.conditionId)) return;
    const makerSide = f.takerSide === 'BUY' ? 'SELL' : 'BUY';
    const frames: { type: string; payload: Record<string, unknown> }[] = [
      { type: 'trades', payload: this.payload(f, f.makerAddress, makerSide) },
      { type: 'trades', payload: this.payload(f, f.takerAddress, f.takerSide) },
      { type: 'orders_matched', payload: this.payload(f, f.takerAddress, f.takerSide) },
    ];
    for (const [ws, entry] of this.subs) {
      for (const fr of frames) {
        if (!entry.list.some((s) => s.topic === 'activity' && (s.type === '*' || s.type === fr.type))) continue;
        const frame = { connection_id: entry.id, timestamp: this.ctx.now(), topic: 'activity', type: fr.type, payload: fr.payload };
        this.sender.send(ws, JSON.stringify(frame));
      }
    }
  }

  drop(): void {
    for (const ws of this.subs.keys()) ws.terminate();
  }

  /** Open sockets whose subscription to `topic` the server has processed (tests wait on this, not on time). */
  subscribers(topic = 'activity'): number {
    let n = 0;
    for (const [ws, entry] of this.subs) if (ws.readyState === WebSocket.OPEN && entry.list.some((s) => s.topic === topic)) n++;
    return n;
  }

  close(): void {
    if (this.pinger) clearInterval(this.pinger);
    for (const t of this.timers) clearTimeout(t);
    this.drop();
    this.wss.close();
  }
}
