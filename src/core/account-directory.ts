/**
 * The accounts one daemon hosts, as the control server sees them. An account is either a wallet of
 * its own (its key, venue, recording), a pool (one wallet shared by sub-accounts; its operator sees
 * the whole wallet) or a sub-account of a pool (a virtual balance booked by the pool engine's
 * per-strategy accounting). Each running account is a SessionSurface scoped to it; the server
 * decides who may reach which account, the account never knows who asks.
 */
import type { Micros } from './money.ts';
import type { SessionSurface } from './session-surface.ts';

export type AccountKind = 'wallet' | 'pool' | 'sub';
export type AccountState = 'starting' | 'running' | 'failed' | 'stopped';

export interface AccountInfo {
  /** Lower-case letters, digits and `-`: the URL segment (`/api/accounts/<id>/…`). */
  id: string;
  label: string;
  kind: AccountKind;
  mode: 'paper' | 'live';
  /** The pool a sub-account belongs to. */
  parent?: string;
  state: AccountState;
  /** Why it failed to start or stopped (no secrets: messages are redacted). */
  error?: string;
}

/** A deposit or withdrawal on a sub-account's virtual balance, recorded by the pool's admin. */
export interface AccountEntry {
  entryId: string;
  tsMs: number;
  account: string;
  kind: 'deposit' | 'withdrawal';
  amountMicros: Micros;
  note: string;
  /** Who recorded it (user or token name). */
  by: string;
}

export type RunState = 'running' | 'finished' | 'failed' | 'cancelled';

/** A market strategy run: one strategy instance started with parameters, with its own trades and PnL. */
export interface RunStatus {
  runId: string;
  strategy: string;
  /** Its strategy instance in the engine (among the account's strategies). */
  strategyId: string;
  params: Record<string, unknown>;
  state: RunState;
  /** Why it ended (the error of a failed run, who cancelled it). */
  reason?: string;
  startedMs: number;
  endedMs?: number;
  startedBy: string;
  fills: number;
  realizedMicros: Micros;
  unrealizedMicros: Micros;
  feesMicros: Micros;
}

export interface RunInput {
  strategy: string;
  params?: Record<string, unknown>;
  /** Optional name (letters, digits, `_.-`); default `<strategy>-<n>`. */
  name?: string;
}

/** Runs of market strategies in one account. */
export interface RunBook {
  list(): RunStatus[];
  start(input: RunInput, by: string): Promise<RunStatus>;
  cancel(runId: string, by: string): RunStatus;
}

/** Deposits and withdrawals of one sub-account. */
export interface EntryBook {
  list(): AccountEntry[];
  record(entry: Omit<AccountEntry, 'entryId' | 'tsMs' | 'account'>): Promise<AccountEntry>;
}

export interface HostedAccount {
  readonly info: AccountInfo;
  /** Absent while starting and when the account failed to start. */
  readonly surface?: SessionSurface;
  readonly runs?: RunBook;
  readonly entries?: EntryBook;
  /** Prometheus text of this account alone (its samples labelled `account`). */
  metrics?(): Promise<string>;
}

export interface AccountDirectory {
  list(): HostedAccount[];
  get(id: string): HostedAccount | undefined;
}

/** `[a-z0-9][a-z0-9-]{0,39}`: safe in a URL, a file name and a strategy id prefix. */
export const ACCOUNT_ID_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;
