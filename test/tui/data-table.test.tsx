import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { DataTable, fitWidths, formatRow, tableWidth, type Column } from '../../src/tui/data-table.tsx';
import { frameShows, renderSized } from './helpers.ts';

afterEach(() => cleanup());

const columns: Column[] = [
  { label: 'Time', max: 8 },
  { label: 'Target', max: 11 },
  { label: 'Market', flex: true, max: 60 },
  { label: 'Us', max: 22 },
  { label: 'Size', align: 'right', max: 8 },
];

const rows: Record<string, string>[] = [
  {
    Time: '09:34:49',
    Target: '0x05c1…45b7',
    Market: 'Down · Bitcoin Up or Down - December 3, 3:15PM-3:30PM ET',
    Us: '✓ copy',
    Size: '2.5',
  },
  { Time: '09:34:47', Target: '0x0fd4…7750', Market: 'Up · a title with\na line break in it', Us: '✗ below_min_notional', Size: '1.2k' },
  { Time: '09:34:41', Target: '-', Market: '', Us: '', Size: '' },
];

/** The lines a table is: its heading and one `│ a │ b │` string per row (the `›` column first). */
function expectedLines(width: number, selected: number): string[] {
  const all: Column[] = [{ label: ' ', max: 1 }, ...columns];
  const marked: Record<string, string>[] = rows.map((r, i) => ({ ...r, ' ': i === selected ? '›' : ' ' }));
  const widths = fitWidths(all, marked, width);
  return [all.map((c) => c.label), ...marked.map((r) => all.map((c) => r[c.label] ?? ''))].map((cells) => formatRow(cells, widths, all));
}

describe('DataTable', () => {
  it('draws each row as the one `│ cell │` line it stands for, cells cut and aligned, the selected row marked', async () => {
    for (const width of [120, 80]) {
      const expected = expectedLines(width, 1);
      const r = renderSized(<DataTable columns={columns} rows={rows} width={width} selected={1} />, width, 20);
      const frame = await frameShows(r, (f) => f.split('\n').length >= expected.length, `the table at ${width} columns`);
      expect(frame.split('\n').map((l) => l.trimEnd())).toEqual(expected);
      expect(expected).toHaveLength(rows.length + 1); // the line break in a cell became a space, not a new row
      r.unmount();
    }
  });

  it('stays inside a panel too narrow for its headings: every line is cut at the edge', async () => {
    const width = 30;
    const all: Column[] = [{ label: ' ', max: 1 }, ...columns];
    expect(tableWidth(fitWidths(all, rows, width))).toBeGreaterThan(width); // the case under test: columns cannot fit
    const r = renderSized(<DataTable columns={columns} rows={rows} width={width} selected={0} />, width, 20);
    const frame = await frameShows(r, (f) => f.split('\n').length >= rows.length + 1, 'the narrow table');
    const lines = frame.split('\n');
    expect(lines).toHaveLength(rows.length + 1);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
    expect(lines[1]!.startsWith('│ › │ 09:')).toBe(true);
    r.unmount();
  });
});
