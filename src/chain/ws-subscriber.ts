/**
 * A minimal JSON-RPC WebSocket client for eth_subscribe: newHeads plus OrderFilled logs filtered to the
 * targets (a few wallet chunks, one subscription each). Reconnects with backoff and resubscribes; the
 * HTTP scanner reads whatever a disconnected stretch missed, so nothing here has to be perfect.
 */
import WebSocket from 'ws';
import type { RawLog } from './order-filled.ts';

export interface WsSubscriberOptions {
  url: string;
  filters: { address: string[]; topics: (string | string[] | null)[] }[];
  onLog: (log: RawLog) => void;
  onHead: (blockNumber: number) => void;
  onState: (connected: boolean) => void;
  /** Delay before reconnect attempt n (1-based). */
  backoffMs: (attempt: number) => number;
}

const hexNum = (v: unknown) => (typeof v === 'string' ? parseInt(v, 16) : Number(v));

export class WsSubscriber {
  private ws?: WebSocket;
  private stopped = false;
  private attempt = 0;
  private timer?: NodeJS.Timeout;
  private nextId = 1;
  reconnects = 0;
  connected = false;

  constructor(private readonly o: WsSubscriberOptions) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.removeAllListeners();
    this.ws?.terminate();
    this.setConnected(false);
  }

  /** Drops the socket as a network fault would (tests and chaos). */
  drop(): void {
    this.ws?.terminate();
  }

  private setConnected(v: boolean): void {
    if (this.connected === v) return;
    this.connected = v;
    this.o.onState(v);
  }

  private connect(): void {
    const ws = new WebSocket(this.o.url);
    this.ws = ws;
    ws.on('open', () => {
      this.attempt = 0;
      this.setConnected(true);
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method: 'eth_subscribe', params: ['newHeads'] }));
      for (const f of this.o.filters) {
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method: 'eth_subscribe', params: ['logs', f] }));
      }
    });
    ws.on('message', (data) => {
      let msg: { method?: string; params?: { result?: Record<string, unknown> } };
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (msg.method !== 'eth_subscription' || !msg.params?.result) return;
      const r = msg.params.result;
      if (typeof r.topics === 'object' && Array.isArray(r.topics)) {
        this.o.onLog({
          address: String(r.address),
          topics: r.topics as string[],
          data: String(r.data),
          blockNumber: hexNum(r.blockNumber),
          blockHash: String(r.blockHash),
          transactionHash: String(r.transactionHash),
          logIndex: hexNum(r.logIndex),
          removed: r.removed === true,
        });
      } else if (r.number !== undefined) {
        this.o.onHead(hexNum(r.number));
      }
    });
    const retry = () => {
      this.setConnected(false);
      if (this.stopped || this.timer) return;
      this.reconnects++;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.stopped) this.connect();
      }, this.o.backoffMs(++this.attempt));
    };
    ws.on('close', retry);
    ws.on('error', () => ws.terminate());
  }
}
