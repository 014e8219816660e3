/**
 * Who may do what over the control API and the Telegram bot. Each role includes the ones below it:
 * a metrics token only scrapes /metrics; a viewer reads everything; a trader also pauses, resumes,
 * changes multipliers and cancels orders; an admin also pulls the kill switch, changes limits, adds
 * and removes targets and starts or stops strategies.
 */
import { ROLES, type Role } from '../../core/session-surface.ts';

export { ROLES, type Principal, type Role } from '../../core/session-surface.ts';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether `have` is allowed what `need` is allowed. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}
