/**
 * Write-ahead log of redemptions (append-only JSON lines, fsynced per record). A redeem is written down
 * before anything is signed, each signed transaction before it is broadcast, the receipt's payout when
 * mined, and the booking last. A relayer redeem (proxy/Safe wallet) writes its signed request before the
 * submit and the relayer's transaction id after it: a restart looks that id up instead of submitting again.
 * After a kill -9 the redeemer reads it back: a signed transaction is rebroadcast as is (same hash), never
 * replaced by a new one; a payout already booked is not booked again.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { readJournal } from '../core/journal-lines.ts';

export type RedeemRecord =
  | {
      t: 'intent';
      id: string;
      conditionId: string;
      negRisk: boolean;
      holder: string;
      amounts: [string, string];
      expectedMicros: number;
      /** How it was sent: the EOA's own transaction, or Polymarket's relayer (proxy and Safe wallets). */
      via: 'eoa' | 'relayer';
      tsMs: number;
    }
  | { t: 'signed'; id: string; hash: string; raw: string; nonce: number }
  /** The signed relayer request, written just before it is posted (nonce and signature find it again). */
  | { t: 'relay'; id: string; wallet: string; nonce: string; signature: string }
  /** The relayer's answer to the submit: its transaction id, looked up after a restart. */
  | { t: 'relayed'; id: string; transactionID: string }
  | { t: 'done'; id: string; hash: string; ok: boolean; payoutMicros: number; tsMs: number }
  | { t: 'booked'; id: string };

export interface RedeemEntry {
  intent: Extract<RedeemRecord, { t: 'intent' }>;
  signed: Extract<RedeemRecord, { t: 'signed' }>[];
  relay?: Extract<RedeemRecord, { t: 'relay' }>;
  relayed?: Extract<RedeemRecord, { t: 'relayed' }>;
  done?: Extract<RedeemRecord, { t: 'done' }>;
  booked: boolean;
}

export class RedeemJournal {
  private fd: number;
  private readonly entries = new Map<string, RedeemEntry>();

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = -1;
    this.load();
  }

  /**
   * Reads the file again: another process (a `polytail redeem` beside a session) may have appended since.
   * Call it holding the journal's lock, so nobody is writing while it reads.
   */
  reload(): void {
    this.entries.clear();
    this.load();
  }

  private load(): void {
    const text = existsSync(this.path) ? readFileSync(this.path, 'utf8') : '';
    const read = readJournal<RedeemRecord>(text, this.path);
    for (const r of read.records) this.apply(r);
    // A kill mid-write tears the last line only: cut it off so the next record starts on a line of its own.
    if (read.torn) truncateSync(this.path, read.validBytes);
    if (this.fd < 0) this.fd = openSync(this.path, 'a', 0o600);
    if (!read.torn && text.length > 0 && !text.endsWith('\n')) writeSync(this.fd, '\n');
  }

  write(r: RedeemRecord): void {
    writeSync(this.fd, JSON.stringify(r) + '\n');
    fsyncSync(this.fd);
    this.apply(r);
  }

  all(): RedeemEntry[] {
    return [...this.entries.values()];
  }

  /** The latest redeem of a condition by this holder (any state). */
  latest(conditionId: string, holder: string): RedeemEntry | undefined {
    let out: RedeemEntry | undefined;
    for (const e of this.entries.values()) {
      if (e.intent.conditionId.toLowerCase() === conditionId.toLowerCase() && e.intent.holder === holder.toLowerCase()) out = e;
    }
    return out;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private apply(r: RedeemRecord): void {
    if (r.t === 'intent') {
      this.entries.set(r.id, { intent: r, signed: [], booked: false });
      return;
    }
    const e = this.entries.get(r.id);
    if (!e) return;
    if (r.t === 'signed') e.signed.push(r);
    else if (r.t === 'relay') e.relay = r;
    else if (r.t === 'relayed') e.relayed = r;
    else if (r.t === 'done') e.done = r;
    else e.booked = true;
  }
}
