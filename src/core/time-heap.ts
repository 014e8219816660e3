/**
 * Keys ordered by a time, oldest first: a binary min-heap in two parallel arrays (no object per key).
 * Dedup pushes every key it keeps and pops the ones older than its window, so pruning touches only what
 * it forgets instead of walking every key. Times mostly arrive in order, so a push rarely moves.
 * A key may be pushed more than once (its time rewritten); the owner checks a popped pair against its
 * current time and ignores stale ones.
 */
export class TimeHeap {
  private readonly times: number[] = [];
  private readonly keys: string[] = [];

  get size(): number {
    return this.times.length;
  }

  push(key: string, time: number): void {
    const times = this.times;
    const keys = this.keys;
    let i = times.length;
    times.push(time);
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent]! <= time) break;
      times[i] = times[parent]!;
      keys[i] = keys[parent]!;
      i = parent;
    }
    times[i] = time;
    keys[i] = key;
  }

  /** Removes every pair older than `cutoff`, oldest first, handing each to `visit`. */
  drainOlderThan(cutoff: number, visit: (key: string, time: number) => void): void {
    while (this.times.length > 0 && this.times[0]! < cutoff) {
      const time = this.times[0]!;
      const key = this.keys[0]!;
      this.removeTop();
      visit(key, time);
    }
  }

  private removeTop(): void {
    const times = this.times;
    const keys = this.keys;
    const lastTime = times.pop()!;
    const lastKey = keys.pop()!;
    const n = times.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && times[right]! < times[left]! ? right : left;
      if (times[child]! >= lastTime) break;
      times[i] = times[child]!;
      keys[i] = keys[child]!;
      i = child;
    }
    times[i] = lastTime;
    keys[i] = lastKey;
  }
}
