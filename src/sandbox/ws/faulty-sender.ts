/** Sends data frames through the active WS faults: stall (drop while open), duplicate, reorder, malformed. */
import WebSocket from 'ws';
import type { FaultState } from '../faults.ts';

export class FaultySender {
  private readonly held = new WeakMap<WebSocket, string>();

  constructor(
    private readonly channel: 'rtds' | 'market',
    private readonly faults: FaultState,
    private readonly random: () => number,
  ) {}

  send(ws: WebSocket, frame: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    // A stall loses frames with the socket open and heartbeats still answered, like the real feeds.
    if (this.faults.wsStalled(this.channel)) return;
    let out = frame;
    if (this.chance('ws-malformed')) out = this.malform(frame);
    if (this.chance('ws-reorder') && !this.held.has(ws)) {
      this.held.set(ws, out);
      return;
    }
    ws.send(out);
    if (this.chance('ws-duplicate')) ws.send(out);
    const late = this.held.get(ws);
    if (late !== undefined) {
      this.held.delete(ws);
      ws.send(late);
    }
  }

  private chance(kind: 'ws-duplicate' | 'ws-reorder' | 'ws-malformed'): boolean {
    const p = this.faults.wsProbability(kind, this.channel);
    return p > 0 && this.random() < p;
  }

  /**
   * A truncated frame. For RTDS the cut lands before "payload": the official client JSON.parses any
   * text containing "payload" without a try/catch, so a broken one would crash the process under test.
   */
  private malform(frame: string): string {
    if (this.channel === 'rtds') {
      const i = frame.indexOf('"payload"');
      return frame.slice(0, i > 0 ? i + 4 : Math.floor(frame.length / 2));
    }
    return frame.slice(0, Math.max(1, Math.floor(frame.length / 2)));
  }
}
