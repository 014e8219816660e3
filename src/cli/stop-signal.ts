/**
 * Why a paper/live session stops: Ctrl+C, SIGTERM, --run-seconds, the TUI's quit, or an error it
 * cannot recover from. Armed before start-up, so Ctrl+C while it waits for the hosts ends the wait.
 */
export interface StopReason {
  why: string;
  /** Set when the session stops because something failed. */
  error?: unknown;
}

export class StopSignal {
  private readonly controller = new AbortController();
  private resolveReason!: (r: StopReason) => void;
  private timer?: NodeJS.Timeout;
  readonly reason: Promise<StopReason>;
  private readonly onSigint = () => this.stop('Ctrl+C');
  private readonly onSigterm = () => this.stop('SIGTERM');

  constructor() {
    this.reason = new Promise((resolve) => (this.resolveReason = resolve));
    process.once('SIGINT', this.onSigint);
    process.once('SIGTERM', this.onSigterm);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Stops by itself after `seconds` (ref'd: the run timer is a reason to stay alive). */
  after(seconds: number): void {
    this.timer = setTimeout(() => this.stop(`ran ${seconds} s`), seconds * 1000);
  }

  stop(why: string, error?: unknown): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort();
    this.resolveReason({ why, error });
  }

  dispose(): void {
    clearTimeout(this.timer);
    process.off('SIGINT', this.onSigint);
    process.off('SIGTERM', this.onSigterm);
  }
}
