/**
 * A running SHA-256 over lines of text, each followed by '\n' (a run's fills hash: fill-hash.ts `FillsHash`).
 * Lines reach the hash in batches, one native call per batch; until then they wait as bytes in one buffer
 * rather than as strings. In a sweep, strings waiting for the next batch outlived young-generation
 * collections by the thousand, and GC copied them into the old generation only to collect them there
 * (a fifth of the bytes a 20-run pass promoted). The digest equals that of the same text hashed whole.
 */
import { createHash, type Hash } from 'node:crypto';

/** About 180 fill lines. */
const BATCH_BYTES = 16 * 1024;
const NEWLINE = 10;

export class LineHash {
  private readonly hash: Hash = createHash('sha256');
  private readonly pending = new Uint8Array(BATCH_BYTES);
  private used = 0;

  add(line: string): void {
    const length = line.length;
    if (this.used + length + 1 > BATCH_BYTES) {
      this.flush();
      if (length + 1 > BATCH_BYTES) return this.addAsText(line);
    }
    const bytes = this.pending;
    let at = this.used;
    for (let i = 0; i < length; i++) {
      const code = line.charCodeAt(i);
      // The hash reads text as UTF-8; this copy writes ASCII only (fill lines are ASCII but for odd strategy ids).
      if (code > 0x7f) return this.addAsText(line);
      bytes[at++] = code;
    }
    bytes[at++] = NEWLINE;
    this.used = at;
  }

  /** Hex digest of every line added so far; more lines may follow. */
  digest(): string {
    this.flush();
    return this.hash.copy().digest('hex');
  }

  /** The line as text, after the bytes waiting before it (a partial copy of it past `used` is dropped). */
  private addAsText(line: string): void {
    this.flush();
    this.hash.update(line + '\n');
  }

  private flush(): void {
    if (this.used === 0) return;
    this.hash.update(this.pending.subarray(0, this.used));
    this.used = 0;
  }
}
