/**
 * Crash safety for paper and live sessions: an append-only JSON-lines journal of every target fill the
 * engine accepted (its dedup key) and every fill of ours. Each line is written (synchronously, so a
 * kill -9 keeps it) before the engine acts on the event, so a restart knows which target fills were
 * already decided (never copied twice) and which fills we own (positions restored, none forgotten).
 * The DuckDB recording is flushed once a second; this file is the durable truth.
 *
 * Our fills (and run / read marks) are fsynced before the call returns. A key is not: its fsync is
 * group-committed off the copy path (started at once in the background, one at a time). That is safe
 * because everything a key guards against is made durable after it and covers it: a fill line's fsync
 * flushes the key written before it (same file), and a live order is posted only after its intent —
 * which names its cause key with its event time (`keyFacts`) — is fsynced in the intent journal, whose
 * causes a restart restores as decided (`markDecided`). A power cut therefore loses only keys of fills
 * that produced no order or fill: they are read and decided again, as a key without its (never fsynced)
 * decision line always was.
 */
import { closeSync, existsSync, fsync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { FillDedup, namesAggregate, type DedupOptions } from '../core/dedup.ts';
import type { OrderEvent, TargetTradeSeen } from '../core/events.ts';
import type { Decision, EngineListener } from '../core/ports.ts';
import type { Fill } from '../core/types.ts';
import { readJournal } from '../core/journal-lines.ts';

type Line =
  /** `agg`: the key names a sum of fills (a chain total or a part), not one reported fill (absent: one fill). */
  | { t: 'key'; key: string; ts: number; agg?: true }
  | { t: 'fill'; fill: Fill; runId?: string }
  | { t: 'decision'; decision: Decision; runId: string }
  | { t: 'run'; runId: string; atMs: number }
  | { t: 'read'; upToMs: number };

/** What a previous session left behind. */
export interface DurableSnapshot {
  /** Accepted target-fill keys with their event time. */
  keys: Map<string, number>;
  /** Of `keys`, those naming a sum of fills rather than one reported fill (dedup restores them differently). */
  aggregateKeys: Set<string>;
  /**
   * Keys accepted by a process that died before deciding them (no decision names them as its cause):
   * they are not restored into dedup, so the restart reads them again and decides them.
   */
  undecided: Map<string, number>;
  fills: { fill: Fill; runId?: string }[];
  /** Decisions of earlier processes (not fsynced: they survive a killed process, not a power cut). */
  decisions: { decision: Decision; runId: string }[];
  /** Newest target-fill event time seen (0 when none). */
  lastEventMs: number;
  /**
   * The Data API was read for every target up to here, and what it returned reached dedup (0 when never):
   * a restart reads again from here minus an overlap. Not `lastEventMs`: RTDS delivers the newest fills at
   * once, so a process that saw them but died before its poll caught up would otherwise move the restart
   * point past fills no process ever read.
   */
  readUpToMs: number;
  /** Runs that wrote to this journal before (restarts), oldest first. */
  runs: string[];
  /** Start time of the first run (0 when none). */
  firstRunMs: number;
}

/** What a restart needs to restore a target-fill key as decided when its own line was lost. */
export interface KeyFacts {
  key: string;
  tsEvent: number;
  /** The key names a sum of fills (see `Line`). */
  aggregate?: true;
}

/**
 * Keys remembered for `keyFacts` (a key is asked for within moments of being accepted); a key not yet
 * covered by a finished fsync is never forgotten, so `keyFacts` answers for every key that could be lost.
 */
const RECENT_KEYS = 4096;

export class DurableState {
  private fd: number | undefined;
  readonly snapshot: DurableSnapshot;
  private readonly fillIds = new Set<string>();
  /** Bytes written that no finished fsync covers yet; `syncing`: a background fsync is running. */
  private unsynced = false;
  private syncing = false;
  private syncError: Error | undefined;
  private readonly recentKeys = new Map<string, { facts: KeyFacts; seq: number }>();
  /** Key lines written by this process, and how many of them a finished fsync covers. */
  private keysWritten = 0;
  private keysDurable = 0;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const read = readJournal<Line>(text, path);
    this.snapshot = parse(read.records);
    for (const f of this.snapshot.fills) this.fillIds.add(f.fill.fillId);
    // A torn last line from a crash is cut off, so it can never end up in the middle of the file.
    if (read.torn) truncateSync(path, read.validBytes);
    this.fd = openSync(path, 'a', 0o600);
    if (!read.torn && text.length > 0 && !text.endsWith('\n')) this.write('\n');
  }

  /** True when this fill id is already ours (recorded before, maybe by a previous process). */
  hasFill(fillId: string): boolean {
    return this.fillIds.has(fillId);
  }

  /**
   * Keys some other durable record shows as decided (the intent journal's cause keys: an order was
   * signed for them) even when the decision line itself did not survive.
   */
  markDecided(causes: Iterable<string | KeyFacts | undefined>): void {
    const { keys, aggregateKeys, undecided } = this.snapshot;
    for (const cause of causes) {
      if (!cause) continue;
      if (typeof cause === 'string') {
        undecided.delete(cause);
        continue;
      }
      undecided.delete(cause.key);
      // Its key line was lost (written, not yet fsynced, at a power cut) but the order went out: decided.
      if (keys.has(cause.key)) continue;
      keys.set(cause.key, cause.tsEvent);
      if (cause.aggregate) aggregateKeys.add(cause.key);
      if (cause.tsEvent > this.snapshot.lastEventMs) this.snapshot.lastEventMs = cause.tsEvent;
    }
  }

  /** The facts of a key this process accepted recently (for the intent that copies it), if any. */
  keyFacts(key: string): KeyFacts | undefined {
    return this.recentKeys.get(key)?.facts;
  }

  /**
   * Keys decided before a crash that must be decided again (an approved copy that was never sent):
   * left out of dedup like undecided keys, and the Data API read resumes no later than them.
   */
  reopen(keys: ReadonlyMap<string, number>): void {
    for (const [key, ts] of keys) this.snapshot.undecided.set(key, ts);
  }

  recordRun(runId: string, atMs: number): void {
    this.append({ t: 'run', runId, atMs });
  }

  /** Every target's activity up to `upToMs` was read and has reached dedup. */
  recordReadUpTo(upToMs: number): void {
    if (upToMs <= this.snapshot.readUpToMs) return;
    this.snapshot.readUpToMs = upToMs;
    this.append({ t: 'read', upToMs });
  }

  /** Written at once, fsynced in the background (see the file comment: what follows it covers it). */
  recordKey(key: string, ts: number, aggregate = false): void {
    const line: Line = aggregate ? { t: 'key', key, ts, agg: true } : { t: 'key', key, ts };
    this.write(JSON.stringify(line) + '\n', false);
    this.keysWritten++;
    const facts: KeyFacts = aggregate ? { key, tsEvent: ts, aggregate: true } : { key, tsEvent: ts };
    this.recentKeys.delete(key);
    this.recentKeys.set(key, { facts, seq: this.keysWritten });
    for (const [oldest, { seq }] of this.recentKeys) {
      if (this.recentKeys.size <= RECENT_KEYS || seq > this.keysDurable) break;
      this.recentKeys.delete(oldest);
    }
    this.syncSoon();
  }

  /** True while some written line is not yet covered by a finished fsync (tests wait on it). */
  hasUnsynced(): boolean {
    return this.unsynced || this.syncing;
  }

  recordFill(fill: Fill, runId?: string): void {
    if (this.fillIds.has(fill.fillId)) return;
    this.fillIds.add(fill.fillId);
    this.append({ t: 'fill', fill, runId });
  }

  /**
   * Written without fsync: the OS keeps it when the process is killed, and the recording (flushed
   * every second) gets back any decision row a crash cut off.
   */
  recordDecision(decision: Decision, runId: string): void {
    this.write(JSON.stringify({ t: 'decision', decision, runId } satisfies Line) + '\n', false);
  }

  /** Engine listener that makes our fills (fsynced) and decisions durable before anything else sees them. */
  listener(runId: string): EngineListener {
    return {
      onOrderEvent: (event: OrderEvent) => {
        if (event.type === 'order_filled' || event.type === 'order_partially_filled') this.recordFill(event.fill, runId);
      },
      onDecision: (decision: Decision) => this.recordDecision(decision, runId),
    };
  }

  close(): void {
    if (this.fd !== undefined) {
      if (this.unsynced || this.syncing) fsyncSync(this.fd);
      closeSync(this.fd);
    }
    this.fd = undefined;
  }

  private append(line: Line): void {
    this.write(JSON.stringify(line) + '\n');
  }

  private write(text: string, sync = true): void {
    if (this.fd === undefined) throw new Error(`session journal ${this.path} is closed`);
    if (this.syncError) throw this.syncError;
    writeSync(this.fd, text);
    if (sync) {
      fsyncSync(this.fd);
      // Covers every line written before, whatever a background fsync still running covers.
      this.unsynced = false;
      this.keysDurable = this.keysWritten;
    } else this.unsynced = true;
  }

  /** Group commit: one background fsync at a time, each covering every line written before it started. */
  private syncSoon(): void {
    if (this.syncing || !this.unsynced || this.fd === undefined) return;
    const fd = this.fd;
    const covers = this.keysWritten;
    this.syncing = true;
    this.unsynced = false;
    fsync(fd, (err) => {
      this.syncing = false;
      if (this.fd !== fd) return; // closed meanwhile: close() fsynced before closing
      if (err) {
        this.unsynced = true;
        this.syncError = new Error(
          `session journal ${this.path} could not be fsynced (${err.message}): check the disk; the session stops trading`,
        );
        return;
      }
      this.keysDurable = Math.max(this.keysDurable, covers);
      this.syncSoon();
    });
  }
}

function parse(lines: Line[]): DurableSnapshot {
  const snap: DurableSnapshot = {
    keys: new Map(),
    aggregateKeys: new Set(),
    undecided: new Map(),
    fills: [],
    decisions: [],
    lastEventMs: 0,
    readUpToMs: 0,
    runs: [],
    firstRunMs: 0,
  };
  const seenFills = new Set<string>();
  const decided = new Set<string>();
  for (const line of lines) {
    if (line.t === 'key') {
      snap.keys.set(line.key, line.ts);
      if (line.agg) snap.aggregateKeys.add(line.key);
      if (line.ts > snap.lastEventMs) snap.lastEventMs = line.ts;
    } else if (line.t === 'fill' && !seenFills.has(line.fill.fillId)) {
      seenFills.add(line.fill.fillId);
      snap.fills.push({ fill: line.fill, runId: line.runId });
    } else if (line.t === 'decision') {
      snap.decisions.push({ decision: line.decision, runId: line.runId });
      if (line.decision.causeKey) decided.add(line.decision.causeKey);
    } else if (line.t === 'read') {
      if (line.upToMs > snap.readUpToMs) snap.readUpToMs = line.upToMs;
    } else if (line.t === 'run') {
      if (snap.runs.length === 0) snap.firstRunMs = line.atMs;
      snap.runs.push(line.runId);
    }
  }
  // A key line is written before the engine decides; a kill in between leaves a key nobody decided.
  for (const [key, ts] of snap.keys) if (!decided.has(key)) snap.undecided.set(key, ts);
  return snap;
}

/**
 * FillDedup whose accepted keys are journalled (written; fsynced off the path) before the engine acts on the fill, and
 * which starts with every key a previous process decided. Keys it accepted but never decided (killed
 * in between) are left out, so they are decided when read again: copied once or skipped, never lost.
 */
export class DurableDedup extends FillDedup {
  constructor(
    private readonly state: DurableState,
    options?: DedupOptions,
  ) {
    super(options);
    const { keys, undecided, aggregateKeys } = state.snapshot;
    this.restore(
      [...keys].filter(([key]) => !undecided.has(key)),
      aggregateKeys,
    );
    // A sum of fills is left to be measured again: no source reports it byte for byte.
    this.reread([...undecided.keys()].filter((key) => !aggregateKeys.has(key)));
  }

  override accept(event: TargetTradeSeen, occurrence?: number): TargetTradeSeen | undefined {
    const accepted = super.accept(event, occurrence);
    if (accepted?.key) this.state.recordKey(accepted.key, accepted.tsEvent, namesAggregate(accepted));
    return accepted;
  }
}
