/**
 * One risk check as a decision keeps it: the code, whether it passed, the value and the limit, and
 * its sentence as lazy text (rendered when the TUI, a report or the store reads `message`). JSON has
 * the shape a plain CheckResult always had: code, passed, message, value, limit.
 */
import { textOf, type Text } from '../core/lazy-text.ts';
import type { CheckResult } from '../core/ports.ts';
import type { CheckCode, ReasonCode } from '../core/reason-codes.ts';

export class Check<C extends CheckCode = ReasonCode> implements CheckResult {
  constructor(
    readonly code: C,
    readonly passed: boolean,
    private readonly text: Text,
    readonly value?: number,
    readonly limit?: number,
  ) {}

  get message(): string {
    return textOf(this.text);
  }

  /** The same check under a strategy budget's code (`strategy.max_order_usdc`) or a sub-account's (`member.max_order_usdc`). */
  scoped(scope: 'strategy' | 'member' = 'strategy'): Check<CheckCode> {
    return new Check<CheckCode>(`${scope}.${this.code as ReasonCode}`, this.passed, this.text, this.value, this.limit);
  }

  toJSON(): CheckResult {
    const out: CheckResult = { code: this.code, passed: this.passed, message: this.message };
    if (this.value !== undefined) out.value = this.value;
    if (this.limit !== undefined) out.limit = this.limit;
    return out;
  }
}

/** A check with its numbers; `message` may be lazy text. */
export function check(code: ReasonCode, passed: boolean, message: Text, value?: number, limit?: number): Check {
  return new Check(code, passed, message, value, limit);
}
