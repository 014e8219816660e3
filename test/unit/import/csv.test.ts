import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/import/csv.ts';

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, commas and newlines inside quotes, CRLF, and keeps line numbers and exact text', () => {
    const t = parseCsv('a,b,c\r\n1,"x, ""y""",3\r\n2,"multi\nline",4\n\n5,,6\n');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.records.map((r) => [r.line, r.values.b])).toEqual([
      [2, 'x, "y"'],
      [3, 'multi\nline'],
      [6, ''],
    ]);
    expect(t.records[0]!.text).toBe('1,"x, ""y""",3');
  });

  it('reports the line of a malformed record', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(/line 3 has 1 fields, the header has 2/);
    expect(() => parseCsv('a,b\n1,"open\n')).toThrow(/unterminated quoted field starting on line 2/);
  });
});
