/**
 * What a replay needs, besides the recorded events, to make exactly the fills a paper session made:
 * the session's id stream (its client order and fill ids) and the targets' positions it seeded from
 * the Data API at start (a SELL copy is sized as a fraction of them). One `meta` row per session run,
 * key `session:<run_id>`, JSON (docs/recordings.md).
 */
import type { Micros } from '../core/money.ts';
import type { RecordingStore } from './recording-store.ts';

export interface SessionFacts {
  /** The session's ids: `SessionIds(seed, idTag, restart)` (src/live/session-ids.ts). */
  seed: number;
  idTag: string;
  restart: number;
  /** Each target's positions and portfolio value as seeded at start (before any trade was copied). */
  targets: { wallet: string; positions: { tokenId: string; sizeMicros: Micros }[]; valueMicros?: Micros }[];
}

const keyOf = (runId: string) => `session:${runId}`;

export async function writeSessionFacts(store: RecordingStore, runId: string, facts: SessionFacts): Promise<void> {
  await store.setMeta(keyOf(runId), JSON.stringify(facts));
}

/** The facts of one session run, or undefined when the recording has none (an import, an older session). */
export async function readSessionFacts(store: RecordingStore, runId: string): Promise<SessionFacts | undefined> {
  const text = await store.getMeta(keyOf(runId));
  return text === undefined ? undefined : (JSON.parse(text) as SessionFacts);
}
