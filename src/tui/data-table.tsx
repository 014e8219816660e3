// Tables that fit: cells are cut to computed widths so a row never passes the panel width, one
// line per row (no rules between rows), and the selected row carries a `›` marker that reads
// without colour. Drawn in the layout of @alcalzone/ink-table (`│ cell │ cell │`) but as one
// string per row: ink-table makes a node per cell and border and hashes every row, which cost
// ~50 ms a frame on a 120×40 feed.
import React from 'react';
import { Box, Text } from 'ink';
import { truncate } from './format.ts';
import { useTheme } from './theme.tsx';

export interface Column {
  /** Heading, also the row key. */
  label: string;
  align?: 'left' | 'right';
  /** Widest the column may get (content width, without padding). */
  max?: number;
  /** Takes the width left over by the other columns. */
  flex?: boolean;
}

const SELECT = '›';

/** Each column costs its content + 2 padding + 1 rule; the table 1 more rule. */
export function fitWidths(columns: readonly Column[], rows: readonly Record<string, string>[], width: number): number[] {
  const natural = columns.map((c) => Math.min(c.max ?? 40, Math.max(c.label.length, ...rows.map((r) => (r[c.label] ?? '').length))));
  const budget = width - 1 - 3 * columns.length;
  const fixed = natural.reduce((sum, w, i) => sum + (columns[i]!.flex ? 0 : w), 0);
  const flexCount = columns.filter((c) => c.flex).length;
  const widths = natural.slice();
  if (flexCount > 0) {
    const share = Math.max(4, Math.floor((budget - fixed) / flexCount));
    columns.forEach((c, i) => {
      if (c.flex) widths[i] = Math.min(natural[i]!, Math.max(share, c.label.length));
    });
  }
  // Still too wide: shrink the widest columns one step at a time.
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > budget) {
    // The widest column that can still give a column up (never below its heading).
    let widest = -1;
    widths.forEach((w, i) => {
      const floor = Math.max(3, columns[i]!.label.length);
      if (w > floor && (widest < 0 || w > widths[widest]!)) widest = i;
    });
    if (widest < 0) break;
    widths[widest]!--;
    total--;
  }
  return widths;
}

/** One table row as a string: `│ a │ b │`, each cell padded to its width. */
export function formatRow(cells: readonly string[], widths: readonly number[], columns: readonly Column[]): string {
  const parts = cells.map((text, i) => {
    const w = widths[i]!;
    const t = truncate(text, w);
    const pad = ' '.repeat(w - t.length);
    return columns[i]!.align === 'right' ? pad + t : t + pad;
  });
  return `│ ${parts.join(' │ ')} │`;
}

export function DataTable(props: {
  columns: readonly Column[];
  rows: readonly Record<string, string>[];
  width: number;
  /** Index in `rows` of the selected row, or -1. */
  selected?: number;
}): React.ReactElement {
  const { noColor } = useTheme();
  const marker: Column = { label: ' ', max: 1 };
  const columns = props.selected === undefined ? props.columns : [marker, ...props.columns];
  const rows = props.rows.map((r, i) => (props.selected === undefined ? r : { ...r, ' ': i === props.selected ? SELECT : ' ' }));
  const widths = fitWidths(columns, rows, props.width);
  // One Text per row, not per cell: Ink's cost grows with nodes, and the feed redraws often.
  return (
    <Box flexDirection="column">
      <Text bold={!noColor} wrap="truncate-end">
        {formatRow(
          columns.map((c) => c.label),
          widths,
          columns,
        )}
      </Text>
      {rows.map((r, i) => (
        <Text key={i} wrap="truncate-end">
          {formatRow(
            columns.map((c) => r[c.label] ?? ''),
            widths,
            columns,
          )}
        </Text>
      ))}
    </Box>
  );
}
