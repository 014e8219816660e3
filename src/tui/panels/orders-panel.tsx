// 4 Orders & fills: our open orders (selectable, `c` cancels) above the latest order events.
import React from 'react';
import { Box, Text } from 'ink';
import { DataTable, type Column } from '../data-table.tsx';
import { compactShares, formatClock, formatPrice, visibleWindow } from '../format.ts';
import { formatUsd } from '../../core/money.ts';
import type { OrderLogRow } from '../session-model.ts';
import type { PanelProps } from './panel-props.ts';

const EVENT_LABEL: Record<OrderLogRow['type'], string> = {
  order_accepted: 'accepted',
  order_rejected: 'rejected',
  order_filled: 'filled',
  order_partially_filled: 'partial',
  order_cancelled: 'cancelled',
  order_expired: 'expired',
};

export function OrdersPanel(props: PanelProps): React.ReactElement {
  const { snap, width, height, selected } = props;
  const openHeight = Math.max(2, Math.min(snap.openOrders.length + 1, Math.floor(height / 2)));
  const openColumns: Column[] = [
    { label: 'Order', max: 14 },
    { label: 'Market', flex: true, max: 50 },
    { label: 'Side', max: 4 },
    { label: 'Type', max: 4 },
    { label: 'Size', align: 'right', max: 8 },
    { label: 'Price', align: 'right', max: 5 },
  ];
  const { start, end } = visibleWindow(snap.openOrders.length, selected, openHeight - 1);
  const openRows = snap.openOrders.slice(start, end).map((o) => ({
    Order: o.clientOrderId,
    Market: snap.titleOf(o.tokenId) ?? o.tokenId,
    Side: o.side,
    Type: o.type,
    Size: compactShares(o.sizeMicros),
    Price: formatPrice(o.priceMicros),
  }));
  const logHeight = height - openHeight - 2;
  const logColumns: Column[] = [
    { label: 'Time', max: 8 },
    { label: 'Event', max: 9 },
    { label: 'Order', max: 14 },
    { label: 'Side', max: 4 },
    { label: 'Size', align: 'right', max: 8 },
    { label: 'Price', align: 'right', max: 5 },
    { label: 'Fee/why', flex: true, max: 24 },
  ];
  const logRows = snap.orderLog.slice(0, Math.max(0, logHeight - 1)).map((r) => ({
    Time: formatClock(r.tsMs),
    Event: EVENT_LABEL[r.type],
    Order: r.clientOrderId,
    Side: r.side,
    Size: compactShares(r.sizeMicros),
    Price: formatPrice(r.priceMicros),
    'Fee/why': r.feeMicros !== undefined ? `${formatUsd(r.feeMicros, 4)} ${r.liquidity ?? ''}` : (r.reason ?? ''),
  }));
  return (
    <Box flexDirection="column">
      <Text>Open orders ({snap.openOrders.length})</Text>
      {snap.openOrders.length === 0 ? (
        <Text> none</Text>
      ) : (
        <DataTable columns={openColumns} rows={openRows} width={width} selected={selected - start} />
      )}
      <Text>Recent order events</Text>
      {logRows.length === 0 ? <Text> none yet</Text> : <DataTable columns={logColumns} rows={logRows} width={width} />}
    </Box>
  );
}
