// Tables on @alcalzone/ink-table, made to fit: cells are cut to computed widths so a row never
// passes the panel width, horizontal rules are dropped (one line per row), and the selected row
// carries a `›` marker that reads without colour.
import React from 'react';
import { Text } from 'ink';
import { Table, type CellProps } from '@alcalzone/ink-table';
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
const RULE_CHARS = /^[─┌┐┬├┤┼└┘┴]+$/;

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
  const data = rows.map((r) => {
    const out: Record<string, string> = {};
    columns.forEach((c, i) => {
      out[c.label] = truncate(r[c.label] ?? '', widths[i]!);
    });
    return out;
  });
  const header = (p: React.PropsWithChildren<object>) => <Text bold={!noColor}>{p.children}</Text>;
  const cell = (p: CellProps) => <Text>{p.children}</Text>;
  // One line per row: the rules (top, between rows, bottom) render as nothing.
  const skeleton = (p: React.PropsWithChildren<object>) =>
    typeof p.children === 'string' && RULE_CHARS.test(p.children) ? null : <Text>{p.children}</Text>;
  return (
    <Table
      data={data}
      columns={columns.map((c) => ({ key: c.label, align: c.align ?? 'left' }))}
      padding={1}
      header={header}
      cell={cell}
      skeleton={skeleton}
    />
  );
}
