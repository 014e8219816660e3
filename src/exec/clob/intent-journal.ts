/**
 * Crash safety for live orders: every order is written down (with its signed order hash) BEFORE it
 * is posted, and its outcome after. After a crash, intents without an outcome are the orders whose
 * fate is unknown; the venue looks each one up on the CLOB before trading again. The file journal
 * is append-only JSON lines, each record durable before the call returns; a torn last line (crash
 * mid-write) is ignored.
 *
 * The intent's write is on every order's path (signed → durable → POST), so the file is preallocated:
 * zeros written and fsynced ahead of the records, which then overwrite them in place. Overwriting
 * allocated blocks changes no file metadata, so an fdatasync makes a record durable without an ext4
 * journal commit — the fsync of a growing file waits for one, behind every other fsync on the disk (a
 * DuckDB commit, another process), 5–80 ms on a busy disk. The records end at the first NUL byte.
 */
import type { OrderType, SignedOrder } from '@polymarket/clob-client-v2';
import { closeSync, constants, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
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

/** Zeros written ahead of the records at a time (about a thousand intents with their outcomes). */
const PREALLOCATE_BYTES = 1 << 20;

/** Append-only JSONL journal in a preallocated file, one fdatasync per record (see the file comment). */
export class FileIntentJournal implements IntentJournal {
  private fd: number | undefined;
  private readonly byId = new Map<string, JournalEntry>();
  /** Where the next record goes (the end of the records), and the file's length (zeros after `end`). */
  private end = 0;
  private size = 0;

  /** Opens (or creates) `<dataDir>/<name>`. */
  static open(dataDir: string, name = 'live-intents.jsonl', options: FileIntentJournalOptions = {}): FileIntentJournal {
    return new FileIntentJournal(join(dataDir, name), options);
  }

  constructor(
    readonly path: string,
    private readonly options: FileIntentJournalOptions = {},
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const bytes = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
    const nul = bytes.indexOf(0);
    const used = nul < 0 ? bytes.length : nul;
    const text = bytes.subarray(0, used).toString('utf8');
    const read = readJournal<Line>(text, path);
    this.load(read.records);
    this.fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o600);
    this.size = bytes.length;
    this.end = read.torn ? read.validBytes : used;
    // A crash mid-write leaves a torn last record (maybe with a fragment of it past a NUL, when its later
    // page reached the disk first): zero it, so the next record is not glued onto it and it never sits in
    // the middle of the file. It was never durable, so it was never posted.
    let last = bytes.length;
    while (last > this.end && bytes[last - 1] === 0) last--;
    if (last > this.end) {
      writeSync(this.fd, Buffer.alloc(last - this.end), 0, last - this.end, this.end);
      fdatasyncSync(this.fd);
    }
    if (!read.torn && used > 0 && !text.endsWith('\n')) this.append(null);
    this.preallocate(PREALLOCATE_BYTES / 2);
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
    const bytes = Buffer.from(line === null ? '\n' : JSON.stringify(line) + '\n');
    this.preallocate(bytes.length);
    writeSync(this.fd, bytes, 0, bytes.length, this.end);
    // Durable before it returns: the blocks were allocated and fsynced by `preallocate`, so the data alone is flushed.
    fdatasyncSync(this.fd);
    this.end += bytes.length;
  }

  /** Makes sure at least `room` bytes of written, fsynced zeros follow the records. */
  private preallocate(room: number): void {
    if (this.fd === undefined || this.size - this.end >= room) return;
    const grow = Math.max(PREALLOCATE_BYTES, this.end + room - this.size);
    writeSync(this.fd, Buffer.alloc(grow), 0, grow, this.size);
    fsyncSync(this.fd); // the file's new length and blocks
    this.size += grow;
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
    // After the POST, off the next order's path: grow here rather than in an intent's write.
    this.preallocate(PREALLOCATE_BYTES / 2);
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
