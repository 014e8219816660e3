/** The DuckDB recording store: one file per recording (see docs/recordings.md). */
export { RecordingStore, NotARecordingError } from './recording-store.ts';
export { lockRecording, currentHolder, RecordingBusyError, type RecordingLock } from './recording-lock.ts';
export type { OpenOptions, AppendOptions, RedeemRow } from './recording-store.ts';
export type { EventFilter, StreamOptions } from './event-stream.ts';
export { replayRank } from './event-stream.ts';
export type { WalletStat } from './recording-queries.ts';
export { RunRecorder, setRunSummary, writeSweepResult, readSweepResults } from './run-store.ts';
export type { RunInfo, SweepResult } from './run-store.ts';
export { FORMAT_VERSION, TABLES, TABLE_NAMES } from './schema.ts';
export type { TableName } from './schema.ts';
export { ControlQueries } from './control-queries.ts';
export type { ControlActionRow } from './control-queries.ts';
export { AccountBookQueries } from './account-book-queries.ts';
export type { AccountEntryRow, MemberLimitsRow, StrategyRunRow } from './account-book-queries.ts';
export { readSessionFacts, writeSessionFacts, type SessionFacts } from './session-facts.ts';
