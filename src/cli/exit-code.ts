/**
 * How a command that failed ends: errors that describe bad input or a busy/damaged file print their
 * message alone (one line a user can act on) — exit 2 for input to fix, 1 for a state to deal with.
 * Anything else is a defect of polytail and keeps its stack trace.
 */
import { ConfigError } from '../core/errors.ts';
import { describeError } from '../core/describe-error.ts';
import { ImportError } from '../import/import-error.ts';
import { JournalCorruptError } from '../core/journal-lines.ts';
import { NotARecordingError, RecordingBusyError } from '../store/index.ts';
import { StrategyLoadError, StrategyParamsError } from '../strategy/errors.ts';

export function exitFor(error: unknown): { code: number; message: string } {
  if (error instanceof ConfigError || error instanceof StrategyLoadError || error instanceof StrategyParamsError)
    return { code: 2, message: error.message };
  if (error instanceof ImportError || error instanceof NotARecordingError) return { code: 2, message: error.message };
  if (error instanceof RecordingBusyError || error instanceof JournalCorruptError) return { code: 1, message: error.message };
  if (error instanceof Error) return { code: 1, message: error.stack ?? describeError(error) };
  return { code: 1, message: describeError(error) };
}
