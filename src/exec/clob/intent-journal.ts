/**
 * Crash safety for live orders: every order is written down (with its signed order hash) BEFORE it
 * is posted, and its outcome after. After a crash, intents without an outcome are the orders whose
 * fate is unknown; the venue looks each one up on the CLOB before trading again. The file journal
 * is append-only JSON lines, fsynced per record; a torn last line (crash mid-write) is ignored.
 */
import type { OrderType, SignedOrder } from '@polymarket/clob-client-v2';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Order } from '../../core/types.ts';
import { readJournal } from '../../core/journal-lines.ts';

/**
 * Exactly what POST /order carries, minus the API key (`owner`, added when posting): the signed order
 * (its fields and an EIP-712 signature over this one order), its type and post-only flag. No private
 * key, no API secret. Kept so a restart can post the very same order (same hash: the CLOB refuses a
 * second copy) when the crash came between signing and POST.
 */
export interface SignedPayload {
  order: SignedOrder;
  orderType: OrderType;
  postOnly: boolean;
}

/** What we were about to post. */
export interface IntentRecord {
  clientOrderId: string;
  order: Order;
  /** EIP-712 hash of the signed order = the CLOB's orderID. */
  orderHash: string;
  /** The signed salt (the SDK's, as text: it may exceed 2^53 from other clients). */
  salt: string;
  makerAmount: string;
  takerAmount: string;
  signedAtMs: number;
  /** The signed order itself (journals written before it was kept have none: those are never re-sent). */
  signed?: SignedPayload;
  /**
   * The target fill this order copies (`order.causeKey`) with its event time: the session journal fsyncs
   * that key off the copy path, so this fsynced line is what proves it decided when a power cut lost it.
   */
  cause?: IntentCause;
}

/** A cause key as the session journal keeps it (see DurableState.keyFacts). */
export interface IntentCause {
  key: string;
  tsEvent: number;
  aggregate?: true;
}

export interface FileIntentJournalOptions {
  /** Facts of a cause key the session accepted (written into the intent, see `IntentRecord.cause`). */
  causeOf?: (key: string) => IntentCause | undefined;
}

export type IntentStatus = 'accepted' | 'filled' | 'rejected' | 'cancelled' | 'not_found';

export interface IntentOutcome {
  status: IntentStatus;
  venueOrderId?: string;
  reason?: string;
  atMs: number;
}

export interface JournalEntry {
  intent: IntentRecord;
  outcome?: IntentOutcome;
}

/** The venue's write-ahead log of orders. Implementations must be durable when a method returns. */
export interface IntentJournal {
  recordIntent(intent: IntentRecord): void;
  recordOutcome(clientOrderId: string, outcome: IntentOutcome): void;
  /** Intents recorded but never given an outcome: posted (maybe) right before a crash. */
  pendingIntents(): IntentRecord[];
  /** Every intent with its latest outcome, in recording order (for engine-side dedup by causeKey). */
  entries(): JournalEntry[];
  close?(): void;
}

type Line = { t: 'intent'; intent: IntentRecord } | { t: 'outcome'; clientOrderId: string; outcome: IntentOutcome };

/** Append-only JSONL journal, one fsync per record. */
export class FileIntentJournal implements IntentJournal {
  private fd: number | undefined;
  private readonly byId = new Map<string, JournalEntry>();

  /** Opens (or creates) `<dataDir>/<name>`. */
  static open(dataDir: string, name = 'live-intents.jsonl', options: FileIntentJournalOptions = {}): FileIntentJournal {
    return new FileIntentJournal(join(dataDir, name), options);
  }

  constructor(
    readonly path: string,
    private readonly options: FileIntentJournalOptions = {},
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const read = readJournal<Line>(text, path);
    this.load(read.records);
    // A crash mid-write leaves a torn last line: cut it off, so the next record is not glued onto it
    // and it never sits in the middle of the file.
    if (read.torn) truncateSync(path, read.validBytes);
    this.fd = openSync(path, 'a', 0o600);
    if (!read.torn && text.length > 0 && !text.endsWith('\n')) this.append(null);
  }

  private load(lines: Line[]): void {
    for (const line of lines) {
      if (line.t === 'intent') this.byId.set(line.intent.clientOrderId, { intent: line.intent });
      else if (line.t === 'outcome') {
        const e = this.byId.get(line.clientOrderId);
        if (e) e.outcome = line.outcome;
      }
    }
  }

  private append(line: Line | null): void {
    if (this.fd === undefined) throw new Error(`intent journal ${this.path} is closed`);
    writeSync(this.fd, line === null ? '\n' : JSON.stringify(line) + '\n');
    fsyncSync(this.fd);
  }

  recordIntent(record: IntentRecord): void {
    const key = record.order.causeKey;
    const cause = key && !record.cause ? this.options.causeOf?.(key) : undefined;
    const intent = cause ? { ...record, cause } : record;
    this.append({ t: 'intent', intent });
    this.byId.set(intent.clientOrderId, { intent });
  }

  recordOutcome(clientOrderId: string, outcome: IntentOutcome): void {
    this.append({ t: 'outcome', clientOrderId, outcome });
    const e = this.byId.get(clientOrderId);
    if (e) e.outcome = outcome;
  }

  pendingIntents(): IntentRecord[] {
    return [...this.byId.values()].filter((e) => !e.outcome).map((e) => e.intent);
  }

  entries(): JournalEntry[] {
    return [...this.byId.values()];
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A journal that keeps nothing across restarts (tests, dry runs). */
export class MemoryIntentJournal implements IntentJournal {
  private readonly byId = new Map<string, JournalEntry>();
  recordIntent(intent: IntentRecord): void {
    this.byId.set(intent.clientOrderId, { intent });
  }
  recordOutcome(clientOrderId: string, outcome: IntentOutcome): void {
    const e = this.byId.get(clientOrderId);
    if (e) e.outcome = outcome;
  }
  pendingIntents(): IntentRecord[] {
    return [...this.byId.values()].filter((e) => !e.outcome).map((e) => e.intent);
  }
  entries(): JournalEntry[] {
    return [...this.byId.values()];
  }
}
