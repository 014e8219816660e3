// Tables that fit: cells are cut to computed widths so a row never passes the panel width, one
// line per row (no rules between rows), and the selected row carries a `›` marker that reads
// without colour. Drawn in the layout of @alcalzone/ink-table (`│ cell │ cell │`), but not as a
// node per cell (ink-table's ~50 ms a frame on a 120×40 feed): the body is one multi-line Text
// per column, with the rules drawn as Box borders. Ink measures every line of every Text twice a
// frame (string-width), and a line with any non-ASCII character in it (a rule, `›`, `…`, `·`)
// takes string-width's slow path through Intl.Segmenter; cut into columns, only the cells that
// hold such characters do, and the rules are one cached string. The lines drawn are the same.
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
  const parts = cells.map((text, i) => formatCell(text, widths[i]!, columns[i]!.align));
  return `│ ${parts.join(' │ ')} │`;
}

/** One cell padded to its column width; a line break would shift the column's later rows, so it becomes a space. */
function formatCell(text: string, width: number, align: Column['align']): string {
  const t = truncate(/[\r\n]/.test(text) ? text.replace(/\r\n|[\r\n]/g, ' ') : text, width);
  const pad = ' '.repeat(width - t.length);
  return align === 'right' ? pad + t : t + pad;
}

/** Columns + 2 padding + 1 rule each, and the closing rule: the width `formatRow` lines have. */
export function tableWidth(widths: readonly number[]): number {
  return widths.reduce((sum, w) => sum + w + 3, 1);
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
  const heading = (
    <Text bold={!noColor} wrap="truncate-end">
      {formatRow(
        columns.map((c) => c.label),
        widths,
        columns,
      )}
    </Text>
  );
  // Columns cannot shrink below their headings: when even that does not fit, draw one line per row
  // and let Ink cut each line at the panel edge (columns would run past it).
  if (tableWidth(widths) > props.width) {
    return (
      <Box flexDirection="column">
        {heading}
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
  return (
    <Box flexDirection="column">
      {heading}
      {rows.length > 0 && (
        <Box flexDirection="row">
          {columns.map((c, i) => {
            const last = i === columns.length - 1;
            return (
              <Box
                key={c.label}
                flexDirection="column"
                flexShrink={0}
                width={widths[i]! + 3 + (last ? 1 : 0)}
                paddingX={1}
                borderStyle="single"
                borderTop={false}
                borderBottom={false}
                borderRight={last}
              >
                <Text wrap="truncate-end">{rows.map((r) => formatCell(r[c.label] ?? '', widths[i]!, c.align)).join('\n')}</Text>
              </Box>
            );
          })}
        </Box>
      )}
    </Box>
  );
}
