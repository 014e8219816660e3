/**
 * Pagination repeats vs genuine identical fills. The Data API has no row id, caps `offset`, and past
 * the cap serves the last page again; and one transaction can carry byte-identical genuine fills.
 *
 * Rule: scanning a file's rows in order, a run of at least `minBlockRows` consecutive rows that is
 * row-for-row identical to an earlier run of rows (the earlier run may end where this one starts or
 * overlap it, as when the same page is served many times in a row) is a pagination repeat and is
 * dropped. Identical rows that do not form such a run (a pair of identical fills a few rows apart) are
 * genuine and kept; they are told apart later by occurrence numbers 1, 2, ...
 */
export interface RepeatScan {
  /** keep[i] is false for rows dropped as pagination repeats. */
  keep: boolean[];
  dropped: number;
  /** Each dropped block: where it starts, how long it is, and which earlier row it copies. */
  blocks: { start: number; length: number; copyOf: number }[];
}

/** Earlier occurrences looked at per row: enough for pages served a few dozen times. */
const MAX_CANDIDATES = 64;

export function findPaginationRepeats(rows: readonly string[], minBlockRows = 20): RepeatScan {
  const keep = rows.map(() => true);
  const blocks: RepeatScan['blocks'] = [];
  const seen = new Map<string, number[]>();
  let i = 0;
  while (i < rows.length) {
    const earlier = seen.get(rows[i]!) ?? [];
    let bestLen = 0;
    let bestFrom = -1;
    for (let c = earlier.length - 1; c >= Math.max(0, earlier.length - MAX_CANDIDATES); c--) {
      const j = earlier[c]!;
      let len = 0;
      while (i + len < rows.length && rows[j + len] === rows[i + len]) len++;
      if (len > bestLen) {
        bestLen = len;
        bestFrom = j;
      }
    }
    const span = bestLen >= minBlockRows ? bestLen : 1;
    if (bestLen >= minBlockRows) {
      blocks.push({ start: i, length: bestLen, copyOf: bestFrom });
      for (let k = i; k < i + bestLen; k++) keep[k] = false;
    }
    for (let k = i; k < i + span; k++) {
      const list = seen.get(rows[k]!);
      if (list) list.push(k);
      else seen.set(rows[k]!, [k]);
    }
    i += span;
  }
  return { keep, dropped: blocks.reduce((a, b) => a + b.length, 0), blocks };
}
