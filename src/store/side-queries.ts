/**
 * Queries on a recording's own side connection, so they run while the session's writer appends on
 * the main one. The tables they need are created on first use (older recordings stay readable without
 * them), and writes run one after another, in call order, before the store closes.
 */
import type { RecordingStore } from './recording-store.ts';

type Side = Awaited<ReturnType<RecordingStore['sideConnection']>>;
type Param = string | number | null;

export class SideQueries {
  private side?: Promise<Side>;
  private ready?: Promise<void>;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: RecordingStore,
    private readonly createTables: readonly string[],
  ) {}

  async query(sql: string, params: Param[] = []) {
    this.side ??= this.store.sideConnection();
    const side = await this.side;
    this.ready ??= this.createTables
      .reduce<Promise<unknown>>((done, create) => done.then(() => side.query(create)), Promise.resolve())
      .then(() => undefined);
    await this.ready;
    return side.query(sql, params);
  }

  /**
   * Runs after every write already asked for; a failed write does not stop the ones after it. The store
   * does not close before it has run.
   */
  write(sql: string, params: Param[]): Promise<void> {
    const run = this.chain.then(() => this.query(sql, params)).then(() => undefined);
    this.chain = run.catch(() => undefined);
    this.store.closeAfter(run);
    return run;
  }

  /** Resolves once every write asked for so far has run (reads that must see them wait on this). */
  settled(): Promise<void> {
    return this.chain.then(() => undefined);
  }
}
