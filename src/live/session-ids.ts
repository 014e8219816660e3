/**
 * Ids for a live or paper session. Like SeededIds (seed from the config), but every process gets its
 * own tag in the ids and its own salt stream: after a restart the same seed must not produce the
 * same client order ids (the intent journal is keyed by them) or the same salts (the same order
 * would hash to an orderID the CLOB already has).
 */
import { padId, SeededIds, type IdSource } from '../core/ids.ts';

export class SessionIds implements IdSource {
  private readonly inner: SeededIds;
  private readonly counters = new Map<string, number>();

  /** `restart` = how many processes ran this session before (0 for a fresh one). */
  constructor(
    seed: number,
    readonly tag: string,
    restart: number,
  ) {
    this.inner = new SeededIds((seed ^ Math.imul(restart + 1, 0x9e3779b1) ^ hashText(tag)) >>> 0);
  }

  next(prefix: string): string {
    return this.format(prefix, this.nextNumber(prefix));
  }

  nextNumber(prefix: string): number {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return n;
  }

  format(prefix: string, n: number): string {
    return `${prefix}-${this.tag}-${padId(n)}`;
  }

  salt(): number {
    return this.inner.salt();
  }

  random(): number {
    return this.inner.random();
  }
}

function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
