/**
 * A client that connects late gets the state as a snapshot and only the most recent messages, however
 * long the account has run: its connect is bounded; it is told how many older ones it did not get.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { SessionSurface } from '../../../src/core/session-surface.ts';
import type { StreamMessage } from '../../../src/server/api/contract.ts';
import { EventHub } from '../../../src/server/http/event-stream.ts';

class FakeSocket extends EventEmitter {
  readonly sent: StreamMessage[] = [];
  bufferedAmount = 0;
  send(line: string): void {
    this.sent.push(JSON.parse(line) as StreamMessage);
  }
  close(): void {}
}

const surface = {
  info: { mode: 'paper', runId: 'r1', startedMs: 0, recordingPath: 'x', version: '0' },
  view: { snapshot: () => ({ nowMs: 7, positions: [{ tokenId: 't' }] }) },
} as unknown as SessionSurface;

const alert = (i: number) => ({ tsMs: i, level: 'warn' as const, code: 'missed_trade' as const, message: `alert ${i}` });

describe('the stream of an account', () => {
  it('sends a late client the snapshot and the recent N messages, not the whole history', () => {
    const hub = new EventHub(surface, { recent: 50, alerts: 20 });
    for (let i = 0; i < 10_000; i++) hub.onAlert(alert(i));
    const socket = new FakeSocket();
    hub.attach(socket as never, { tokenId: 'k', name: 'alice', role: 'viewer', account: 'a' });
    const [hello, ...rest] = socket.sent;
    expect(hello).toMatchObject({ type: 'hello', view: { nowMs: 7, positions: [{ tokenId: 't' }] } });
    const end = rest.pop();
    expect(end).toEqual({ type: 'backlog_end', dropped: 10_000 - 50 });
    expect(rest).toHaveLength(50);
    expect(rest.map((m) => (m.type === 'alert' ? m.alert.tsMs : -1))).toEqual(Array.from({ length: 50 }, (_, i) => 9_950 + i));
    // Live messages follow; alerts for GET …/alerts are the newest, newest first.
    hub.onAlert(alert(10_000));
    expect(socket.sent.at(-1)).toMatchObject({ type: 'alert', alert: { tsMs: 10_000 } });
    expect(hub.recentAlerts(3).map((a) => a.tsMs)).toEqual([10_000, 9_999, 9_998]);
    expect(hub.recentAlerts(100)).toHaveLength(20);
    hub.close();
  });
});
