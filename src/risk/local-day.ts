/**
 * The calendar day (in an IANA time zone) that a timestamp falls on, so daily limits roll over at
 * the user's midnight, DST days included, without reading the clock.
 */

const SLOT_MS = 15 * 60_000;

/** Formats timestamps as `YYYY-MM-DD` in one time zone. */
export class LocalDay {
  private readonly format: Intl.DateTimeFormat;
  // Every zone's offset is a multiple of 15 minutes, so a 15-minute slot never straddles midnight.
  private cachedSlot = Number.NaN;
  private cachedKey = '';

  constructor(readonly timeZone = 'UTC') {
    try {
      this.format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw new RangeError(`unknown time zone "${timeZone}" for dailyResetTimeZone: use an IANA name such as "UTC" or "America/New_York"`);
    }
  }

  /** The local date of `tsMs`, e.g. "2026-03-08". */
  keyOf(tsMs: number): string {
    const slot = Math.floor(tsMs / SLOT_MS);
    if (slot === this.cachedSlot) return this.cachedKey;
    let year = '';
    let month = '';
    let day = '';
    for (const part of this.format.formatToParts(tsMs)) {
      if (part.type === 'year') year = part.value;
      else if (part.type === 'month') month = part.value;
      else if (part.type === 'day') day = part.value;
    }
    this.cachedSlot = slot;
    this.cachedKey = `${year}-${month}-${day}`;
    return this.cachedKey;
  }
}

/** True when `timeZone` is an IANA name this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
