/**
 * Crash safety for paper and live sessions: an append-only JSON-lines journal, fsynced per record,
 * of every target fill the engine accepted (its dedup key) and every fill of ours. It is written
 * synchronously before the engine acts on the event, so after a kill -9 a restart knows which target
 * fills were already decided (never copied twice) and which fills we own (positions restored, none
 * forgotten). The DuckDB recording is flushed once a second; this file is the durable truth.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
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

export class DurableState {
  private fd: number | undefined;
  readonly snapshot: DurableSnapshot;
  private readonly fillIds = new Set<string>();

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
  markDecided(keys: Iterable<string | undefined>): void {
    for (const key of keys) if (key) this.snapshot.undecided.delete(key);
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

  recordKey(key: string, ts: number, aggregate = false): void {
    this.append(aggregate ? { t: 'key', key, ts, agg: true } : { t: 'key', key, ts });
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
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private append(line: Line): void {
    this.write(JSON.stringify(line) + '\n');
  }

  private write(text: string, sync = true): void {
    if (this.fd === undefined) throw new Error(`session journal ${this.path} is closed`);
    writeSync(this.fd, text);
    if (sync) fsyncSync(this.fd);
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
  // A key line is fsynced before the engine decides; a kill in between leaves a key nobody decided.
  for (const [key, ts] of snap.keys) if (!decided.has(key)) snap.undecided.set(key, ts);
  return snap;
}

/**
 * FillDedup whose accepted keys are journalled (fsynced) before the engine acts on the fill, and
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
