/** docs/reasons.md and the ReasonCode type list the same codes, so a reader can look up every code the engine writes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStrategyReasonCode, REASON_CODES } from '../../../src/core/reason-codes.ts';

const DOC = join(import.meta.dirname, '../../../docs/reasons.md');

/** The first-column code of every table row: | `code` | kind | meaning |. */
function documentedCodes(): string[] {
  return readFileSync(DOC, 'utf8')
    .split('\n')
    .map((line) => /^\| `([a-z0-9_]+)` \|/.exec(line)?.[1])
    .filter((code): code is string => code !== undefined);
}

describe('reason codes', () => {
  it('docs/reasons.md explains every code, once, and no code the type lacks', () => {
    const documented = documentedCodes();
    expect(documented.filter((c, i) => documented.indexOf(c) !== i)).toEqual([]);
    expect([...documented].sort()).toEqual([...REASON_CODES].sort());
  });

  it('strategies may use a known code or custom:<code>, nothing else', () => {
    expect(isStrategyReasonCode('below_min_size')).toBe(true);
    expect(isStrategyReasonCode('custom:below_min_shares')).toBe(true);
    expect(isStrategyReasonCode('below_min_shares')).toBe(false);
    expect(isStrategyReasonCode('custom:')).toBe(false);
  });
});
