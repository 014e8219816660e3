/**
 * Turns a stream of OrderFilled logs (from a subscription and from eth_getLogs, in any order, repeated)
 * into target fills that are each emitted once, only after N confirmations, on the canonical chain.
 *
 * - A log is pending until its block has `confirmations` blocks (itself included) and its block hash is
 *   still the canonical one at its height; a log whose block was reorganised away before that is dropped
 *   (retracted: the engine never saw it).
 * - An emitted fill whose block is reorganised away is checked against the new chain: the same
 *   transaction mined again (same hash, same order, same amounts) is the same fill and is not emitted
 *   twice; a fill that is gone for good raises an alert (the engine may already have copied it).
 */
import { type OrderFilled, type RawLog, decodeOrderFilled } from './order-filled.ts';

export interface BlockHeader {
  number: number;
  hash: string;
  parentHash: string;
  timestampSec: number;
}

export interface TrackerRpc {
  head(): Promise<BlockHeader>;
  block(n: number): Promise<BlockHeader | undefined>;
  logs(fromBlock: number, toBlock: number): Promise<RawLog[]>;
}

export interface ConfirmedFill {
  event: OrderFilled;
  /** Identity within polytail's view of the chain: tx + order + amounts + occurrence in the tx. */
  id: string;
  occurrence: number;
  blockTimestampMs: number;
}

export interface TrackerStats {
  headBlock: number;
  emitted: number;
  retracted: number;
  reorgs: number;
  orphanedAfterEmit: number;
}

const KEEP_BLOCKS = 256;

export class LogTracker {
  private readonly canonical = new Map<number, BlockHeader>();
  private readonly pending = new Map<string, OrderFilled>(); // blockHash:logIndex → event
  private readonly emitted = new Map<string, { event: OrderFilled }>(); // id → event
  private readonly emittedByObs = new Set<string>(); // blockHash:logIndex already accounted for
  private readonly suspects = new Map<string, number>(); // id of an emitted fill whose block left the chain → height
  private scannedTo: number;
  readonly stats: TrackerStats = { headBlock: 0, emitted: 0, retracted: 0, reorgs: 0, orphanedAfterEmit: 0 };

  constructor(
    private readonly rpc: TrackerRpc,
    private readonly confirmations: number,
    startBlock: number,
    private readonly maxRange: number,
    private readonly onAlert: (message: string, fill: OrderFilled) => void,
  ) {
    this.scannedTo = startBlock - 1;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  get lastScanned(): number {
    return this.scannedTo;
  }

  /** A log from the subscription (or anywhere): remembered until confirmed; `removed` retracts it. */
  observe(log: RawLog): void {
    const ev = decodeOrderFilled(log);
    const obs = `${ev.blockHash}:${ev.logIndex}`;
    if (log.removed) {
      if (this.pending.delete(obs)) this.stats.retracted++;
      return;
    }
    if (this.emittedByObs.has(obs)) return;
    this.pending.set(obs, ev);
  }

  /** One round: follow the head (detecting reorgs), scan new blocks, and return fills now confirmed. */
  async advance(): Promise<ConfirmedFill[]> {
    const head = await this.rpc.head();
    const reorgFrom = await this.follow(head);
    if (reorgFrom !== undefined) {
      this.stats.reorgs++;
      this.scannedTo = Math.min(this.scannedTo, reorgFrom - 1);
    }
    this.stats.headBlock = head.number;
    // Scan what we have not read yet (and what a reorg replaced).
    while (this.scannedTo < head.number) {
      const from = this.scannedTo + 1;
      const to = Math.min(head.number, from + this.maxRange - 1);
      for (const l of await this.rpc.logs(from, to)) this.observe(l);
      this.scannedTo = to;
    }
    this.dropOrphans();
    this.checkSuspects();
    return this.confirm(head.number);
  }

  /** Records the canonical chain down from the head; returns the lowest height that changed, if any. */
  private async follow(head: BlockHeader): Promise<number | undefined> {
    let changedFrom: number | undefined;
    let cur: BlockHeader | undefined = head;
    // Walk back while what we knew at a height differs from the new chain.
    for (let steps = 0; cur && steps < KEEP_BLOCKS; steps++) {
      const known = this.canonical.get(cur.number);
      if (known?.hash === cur.hash) break;
      if (known) changedFrom = cur.number;
      this.canonical.set(cur.number, cur);
      const parentKnown = this.canonical.get(cur.number - 1);
      if (parentKnown?.hash === cur.parentHash) break;
      // Heads can skip heights: walk down to the highest height we knew (nothing below = first head).
      if (!parentKnown && ![...this.canonical.keys()].some((n) => n < cur!.number - 1)) break;
      cur = await this.rpc.block(cur.number - 1);
    }
    // A shorter new chain: heights above the head are gone.
    for (const n of [...this.canonical.keys()]) {
      if (n > head.number) {
        this.canonical.delete(n);
        changedFrom = Math.min(changedFrom ?? n, n);
      }
      if (n < head.number - KEEP_BLOCKS) this.canonical.delete(n);
    }
    return changedFrom;
  }

  private isCanonical(height: number, hash: string): boolean | undefined {
    const b = this.canonical.get(height);
    return b === undefined ? undefined : b.hash === hash;
  }

  private dropOrphans(): void {
    for (const [obs, ev] of this.pending) {
      if (this.isCanonical(ev.blockNumber, ev.blockHash) === false) {
        this.pending.delete(obs);
        this.stats.retracted++;
      }
    }
    for (const [id, { event }] of this.emitted) {
      if (this.isCanonical(event.blockNumber, event.blockHash) === false && !this.suspects.has(id)) {
        this.suspects.set(id, event.blockNumber);
      }
    }
  }

  /** An emitted fill whose block left the chain: fine if the same fill is on the new chain, else an alert. */
  private checkSuspects(): void {
    for (const [id, height] of this.suspects) {
      const again = [...this.pending.values()].find((ev) => this.idsFor(ev).includes(id));
      const e = this.emitted.get(id);
      if (again && e) {
        // Same fill, new block: adopt the new position without emitting it again.
        this.pending.delete(`${again.blockHash}:${again.logIndex}`);
        this.emittedByObs.add(`${again.blockHash}:${again.logIndex}`);
        e.event = again;
        this.suspects.delete(id);
      } else if (this.scannedTo >= height + this.confirmations && e) {
        this.suspects.delete(id);
        this.emitted.delete(id);
        this.stats.orphanedAfterEmit++;
        this.onAlert(`fill ${id} was reorganised out of the chain after polytail acted on it`, e.event);
      }
    }
  }

  private idsFor(ev: OrderFilled): string[] {
    const base = `${ev.txHash}:${ev.orderHash}:${ev.makerAmountFilled}:${ev.takerAmountFilled}`;
    return [1, 2, 3, 4].map((n) => `${base}#${n}`);
  }

  private async confirm(head: number): Promise<ConfirmedFill[]> {
    const ready = [...this.pending.values()]
      .filter((ev) => ev.blockNumber <= head - this.confirmations + 1 && this.isCanonical(ev.blockNumber, ev.blockHash) !== false)
      .sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
    const out: ConfirmedFill[] = [];
    for (const ev of ready) {
      let header = this.canonical.get(ev.blockNumber);
      if (!header) {
        header = await this.rpc.block(ev.blockNumber);
        if (header) this.canonical.set(header.number, header);
      }
      const obs = `${ev.blockHash}:${ev.logIndex}`;
      this.pending.delete(obs);
      if (!header || header.hash !== ev.blockHash) {
        this.stats.retracted++;
        continue;
      }
      const base = `${ev.txHash}:${ev.orderHash}:${ev.makerAmountFilled}:${ev.takerAmountFilled}`;
      let occurrence = 1;
      // Identical events in one tx are distinct fills; one already emitted from this very block position is not.
      while (this.emitted.has(`${base}#${occurrence}`)) {
        const prior = this.emitted.get(`${base}#${occurrence}`)!.event;
        if (prior.blockHash === ev.blockHash && prior.logIndex === ev.logIndex) break;
        if (this.suspects.has(`${base}#${occurrence}`)) break;
        occurrence++;
      }
      const id = `${base}#${occurrence}`;
      this.emittedByObs.add(obs);
      if (this.emitted.has(id)) {
        this.suspects.delete(id);
        this.emitted.get(id)!.event = ev;
        continue;
      }
      this.emitted.set(id, { event: ev });
      this.stats.emitted++;
      out.push({ event: ev, id, occurrence, blockTimestampMs: header.timestampSec * 1000 });
    }
    this.prune(head);
    return out;
  }

  private prune(head: number): void {
    const floor = head - KEEP_BLOCKS;
    for (const [id, { event }] of this.emitted) if (event.blockNumber < floor) this.emitted.delete(id);
    if (this.emittedByObs.size > 100_000) this.emittedByObs.clear();
  }
}
