/**
 * The files a paper/live session owns: its crash journal (`<mode>.journal.jsonl`) and its recording
 * (`<mode>-<date>.duckdb`), each behind the recording write lock. Two sessions of one mode in one data
 * folder would share a journal and could copy a trade twice; a replay storing a run into the session's
 * recording would race its writes. Either is refused here, naming the process that holds the file.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { lockRecording, RecordingStore, type RecordingLock } from '../store/index.ts';
import { DurableState } from './durable-state.ts';

export interface SessionFiles {
  journalPath: string;
  recordingPath: string;
  state: DurableState;
  recording: RecordingStore;
  /** Closes the recording and the journal, then releases both locks. */
  close(): Promise<void>;
}

export async function openSessionFiles(o: { dataDir: string; mode: 'paper' | 'live'; name: string }): Promise<SessionFiles> {
  const dir = join(o.dataDir, 'sessions');
  const journalPath = join(dir, `${o.mode}.journal.jsonl`);
  const recordingPath = join(dir, `${o.name}.duckdb`);
  const command = `polytail ${o.mode} session`;
  const locks: RecordingLock[] = [];
  const undo: (() => Promise<void> | void)[] = [() => locks.splice(0).forEach((l) => l.release())];
  const close = async () => {
    for (const step of undo.splice(0).reverse()) await step();
  };
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    locks.push(await lockRecording(journalPath, { command, hint: `stop that session first (one ${o.mode} session per data folder)` }));
    locks.push(await lockRecording(recordingPath, { command, hint: 'stop that writer first' }));
    const state = new DurableState(journalPath);
    undo.push(() => state.close());
    const recording = await RecordingStore.open(recordingPath);
    undo.push(() => recording.close());
    return { journalPath, recordingPath, state, recording, close };
  } catch (error) {
    await close();
    throw error;
  }
}
