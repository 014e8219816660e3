/** Live feeds: RTDS activity, Data API polling, CLOB market WS, and their merge. */
export type { Feed, FeedCommon, FeedHealth, FeedLog, FeedLogLevel } from './feed.ts';
export { Backoff, HealthTracker, stderrLog } from './feed.ts';
export { RtdsFeed } from './rtds-feed.ts';
export type { RtdsFeedOptions, RtdsStats, ReconnectListener } from './rtds-feed.ts';
export { ActivityPoller, DATA_API_BUDGET } from './activity-poller.ts';
export { RequestBudget } from './request-budget.ts';
export type { ActivityPollerOptions } from './activity-poller.ts';
export { MarketWsFeed } from './market-ws-feed.ts';
export type { MarketWsFeedOptions } from './market-ws-feed.ts';
export { MergedFeed, linkBackfill } from './merged-feed.ts';
export { HttpError, getJson, retryAfterMs } from './http-json.ts';
export type { HttpJsonOptions } from './http-json.ts';
