/**
 * Runs several feeds into one emit and reports their health together. `linkBackfill` wires the RTDS
 * reconnect signal to the Data API poller so the gap of every reconnect is re-read.
 */
import type { EngineEvent } from '../core/events.ts';
import type { ActivityPoller } from './activity-poller.ts';
import { type Feed, type FeedHealth, type FeedLog, describeError, stderrLog } from './feed.ts';
import type { RtdsFeed } from './rtds-feed.ts';

export class MergedFeed {
  private started = false;

  constructor(
    readonly feeds: Feed[],
    private readonly log: FeedLog = stderrLog,
  ) {}

  /** Starts every feed; one that fails to start is logged and the others run on. */
  async start(emit: (e: EngineEvent) => void): Promise<void> {
    if (this.started) return;
    this.started = true;
    const results = await Promise.allSettled(this.feeds.map((f) => f.start(emit)));
    results.forEach((r, i) => {
      if (r.status === 'rejected') this.log('error', `feed ${this.feeds[i]!.name} did not start: ${describeError(r.reason)}`);
    });
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.allSettled(this.feeds.map((f) => f.stop()));
  }

  /** One row per feed (plug into EngineControl.feedHealthSource). */
  health(): FeedHealth[] {
    return this.feeds.map((f) => f.health());
  }
}

/** After every RTDS reconnect, the poller re-reads from when data may have been missed. Returns an unlink function. */
export function linkBackfill(rtds: RtdsFeed, poller: ActivityPoller, log: FeedLog = stderrLog): () => void {
  return rtds.onReconnect((sinceMs) => {
    poller.backfill(sinceMs).catch((err) => log('error', `backfill after RTDS reconnect failed: ${describeError(err)}`));
  });
}
