/**
 * Alert codes raised by the live/paper session machinery itself (not by risk or strategies). One
 * place, so the TUI, log readers and tests match on a name, never on message text.
 */
import type { ReasonCode } from '../core/reason-codes.ts';

export const SESSION_ALERT = {
  /** A feed has been disconnected for a while; repeated with the growing duration. */
  feedDown: 'feed_down',
  /** A feed that was reported down is connected again. */
  feedRestored: 'feed_restored',
  /** The session hit an error it cannot recover from and is stopping. */
  sessionFailed: 'session_failed',
} as const satisfies Record<string, ReasonCode>;

export type SessionAlertCode = (typeof SESSION_ALERT)[keyof typeof SESSION_ALERT];
