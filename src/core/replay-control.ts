/**
 * How the TUI steers a replay's virtual clock. The replay wiring implements it; the TUI only reads
 * the fields and calls the intents (`p` pauses the replay clock, `.`/`s` step, `>`/`<` change speed).
 */
export interface ReplayControl {
  readonly paused: boolean;
  /** Playback speed as a multiple of real time (e.g. 1, 10, 100); Infinity = as fast as possible. */
  readonly speed: number;
  /** 0..1 through the recording. */
  readonly progress: number;
  /** The virtual clock, in epoch ms. */
  readonly replayTimeMs: number;
  togglePause(): void;
  faster(): void;
  slower(): void;
  /** Process exactly one more event (meant for a paused replay). */
  step(): void;
}
