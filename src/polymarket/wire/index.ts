/** Pure parsers from Polymarket wire formats to core types (no I/O; shared by import, live feeds and the sandbox). */
export { WireError, parseWire } from './fields.ts';
export { parseActivityRow, parseTradesRow, parsePositionRow } from './data-api.ts';
export type { ActivityRecord, ActivityTrade, ActivityOther, TargetPosition } from './data-api.ts';
export { parseGammaMarket, parseGammaEvent, finalPayouts, parseDateMs } from './gamma.ts';
export type { GammaMarket } from './gamma.ts';
export { parseBookFrame, parsePriceChangeFrame, parseLastTradeFrame, parseMarketMessage } from './clob-market.ts';
export type { ReportedBest } from './clob-market.ts';
export { parseRtdsTrade } from './rtds.ts';
export type { RtdsTrade } from './rtds.ts';
