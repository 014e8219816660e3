/**
 * A price reference over the last `windowMs` of samples: the maximum (monotonic deque) or the mean of
 * the samples (not time-weighted: a burst of book updates counts more than a quiet stretch).
 */
import type { Micros } from 'polytail/strategy';

interface Sample {
  tsMs: number;
  priceMicros: Micros;
}

export class RollingWindow {
  private samples: Sample[] = [];
  private head = 0;
  private maxQueue: Sample[] = [];
  private maxHead = 0;
  private sum = 0;
  private firstMs: number | undefined;

  constructor(private readonly windowMs: number) {}

  add(tsMs: number, priceMicros: Micros): void {
    this.firstMs ??= tsMs;
    const sample = { tsMs, priceMicros };
    this.samples.push(sample);
    this.sum += priceMicros;
    while (this.maxQueue.length > this.maxHead && this.maxQueue[this.maxQueue.length - 1]!.priceMicros <= priceMicros) this.maxQueue.pop();
    this.maxQueue.push(sample);
    this.evict(tsMs);
  }

  /** Drops samples older than the window as of `nowMs`. */
  evict(nowMs: number): void {
    const cutoff = nowMs - this.windowMs;
    while (this.head < this.samples.length && this.samples[this.head]!.tsMs < cutoff) this.sum -= this.samples[this.head++]!.priceMicros;
    while (this.maxHead < this.maxQueue.length && this.maxQueue[this.maxHead]!.tsMs < cutoff) this.maxHead++;
    if (this.head > 1024 && this.head * 2 > this.samples.length) ((this.samples = this.samples.slice(this.head)), (this.head = 0));
    if (this.maxHead > 1024 && this.maxHead * 2 > this.maxQueue.length)
      ((this.maxQueue = this.maxQueue.slice(this.maxHead)), (this.maxHead = 0));
  }

  /** True once samples span a whole window (before that a "drop" is measured against too little history). */
  warm(nowMs: number): boolean {
    return this.firstMs !== undefined && nowMs - this.firstMs >= this.windowMs;
  }

  count(): number {
    return this.samples.length - this.head;
  }

  max(): Micros | undefined {
    return this.maxHead < this.maxQueue.length ? this.maxQueue[this.maxHead]!.priceMicros : undefined;
  }

  mean(): Micros | undefined {
    const n = this.count();
    return n > 0 ? Math.round(this.sum / n) : undefined;
  }

  reference(kind: 'max' | 'mean'): Micros | undefined {
    return kind === 'max' ? this.max() : this.mean();
  }
}
