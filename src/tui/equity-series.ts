// The equity curve for the PnL panel, kept to a fixed number of points over any session length:
// when full, every other point is dropped and the minimum spacing doubles. Drawdown is tracked
// on every point, before downsampling, so the worst dip is never lost.
import type { EquityPoint } from '../core/ports.ts';

export class EquitySeries {
  private points: EquityPoint[] = [];
  private minSpacingMs = 0;
  private peak = Number.NEGATIVE_INFINITY;
  private maxDrawdown = 0;
  private maxDrawdownPeak = 0;

  constructor(readonly capacity = 1000) {
    if (capacity < 4) throw new RangeError(`equity series capacity must be at least 4, got ${capacity}`);
  }

  add(point: EquityPoint): void {
    this.peak = Math.max(this.peak, point.equityMicros);
    const drawdown = this.peak - point.equityMicros;
    if (drawdown > this.maxDrawdown) {
      this.maxDrawdown = drawdown;
      this.maxDrawdownPeak = this.peak;
    }
    const last = this.points[this.points.length - 1];
    if (last && point.tsMs < last.tsMs) return; // the engine's clock never goes back; ignore if it does
    if (last && this.points.length > 1 && point.tsMs - this.points[this.points.length - 2]!.tsMs < this.minSpacingMs) {
      this.points[this.points.length - 1] = point; // same bucket: keep the latest value
      return;
    }
    this.points.push(point);
    if (this.points.length >= this.capacity) this.halve();
  }

  private halve(): void {
    const first = this.points[0]!;
    const lastPoint = this.points[this.points.length - 1]!;
    this.points = this.points.filter((_, i) => i % 2 === 1 || i === 0);
    if (this.points[this.points.length - 1] !== lastPoint) this.points.push(lastPoint);
    this.minSpacingMs = Math.max(this.minSpacingMs * 2, Math.ceil((lastPoint.tsMs - first.tsMs) / (this.capacity / 2)));
  }

  get size(): number {
    return this.points.length;
  }

  toArray(): readonly EquityPoint[] {
    return this.points.slice();
  }

  /** Largest fall from a running peak seen so far (micros), and that fall as a fraction of the peak. */
  drawdown(): { maxMicros: number; maxFraction: number; peakMicros: number } {
    return {
      maxMicros: this.maxDrawdown,
      maxFraction: this.maxDrawdownPeak > 0 ? this.maxDrawdown / this.maxDrawdownPeak : 0,
      peakMicros: Number.isFinite(this.peak) ? this.peak : 0,
    };
  }
}
