/** What every page gets: who is logged in, the account shown, its latest view and recent stream messages. */
import type { EngineSnapshot } from '../core/control.ts';
import type { Alert } from '../core/ports.ts';
import type { Role } from '../core/session-surface.ts';
import type { AccountRow, Me, StreamMessage } from './api.ts';

/** A line of the live feed: what arrived, newest first. */
export interface FeedItem {
  tsMs: number;
  kind: 'trade' | 'decision' | 'fill' | 'alert' | 'market' | 'risk';
  text: string;
  level?: 'info' | 'warn' | 'critical';
}

export interface Ctx {
  me: Me;
  account: AccountRow;
  view?: EngineSnapshot;
  feed: FeedItem[];
  alerts: Alert[];
  streamState: string;
  /** Whether the user's role on this account allows what `need` allows. */
  can(need: Role): boolean;
  /** Runs an API call for a button or form: shows the outcome in the banner; true when it worked. */
  act(label: string, call: () => Promise<unknown>): Promise<boolean>;
}

export interface Page {
  mount(root: HTMLElement, ctx: Ctx): void;
  /** A new view (at most once a second while the stream is open). */
  update(ctx: Ctx): void;
  /** Set when the page shows stream messages too (redrawn with the next update). */
  onMessage?(m: StreamMessage, ctx: Ctx): void;
  unmount?(): void;
}

const RANK: Record<Role, number> = { metrics: 0, viewer: 1, trader: 2, admin: 3 };
export const roleAllows = (have: Role, need: Role) => RANK[have] >= RANK[need];
