/**
 * One risk check as a decision keeps it: the code, whether it passed, the value and the limit, and
 * its sentence as text made when the TUI, a report or the store reads `message`. The sentence is
 * kept as a render function and its arguments on the check itself (`checkOf`), so a check on the
 * hot path is one object; `check` also takes a plain string or a `LazyText`. JSON has the shape a
 * plain CheckResult always had: code, passed, message, value, limit.
 */
import { textOf, type Text } from '../core/lazy-text.ts';
import type { CheckResult } from '../core/ports.ts';
import type { CheckCode, ReasonCode } from '../core/reason-codes.ts';

type AnyRender = (a: unknown, b: unknown, c: unknown, d: unknown) => string;

export class Check<C extends CheckCode = ReasonCode> implements CheckResult {
  private rendered: string | undefined;

  constructor(
    readonly code: C,
    readonly passed: boolean,
    private readonly text: Text | AnyRender,
    readonly value?: number,
    readonly limit?: number,
    private readonly a?: unknown,
    private readonly b?: unknown,
    private readonly c?: unknown,
    private readonly d?: unknown,
  ) {}

  get message(): string {
    const text = this.text;
    if (typeof text !== 'function') return textOf(text);
    if (this.rendered === undefined) this.rendered = text(this.a, this.b, this.c, this.d);
    return this.rendered;
  }

  /** The same check under a strategy budget's code (`strategy.max_order_usdc`) or a sub-account's (`member.max_order_usdc`). */
  scoped(scope: 'strategy' | 'member' = 'strategy'): Check<CheckCode> {
    const code = `${scope}.${this.code as ReasonCode}` as const;
    return new Check<CheckCode>(code, this.passed, this.text, this.value, this.limit, this.a, this.b, this.c, this.d);
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

/**
 * A check whose sentence is `render(a, b, c, d)`, made when first read. `render` must be a pure
 * top-level function of its arguments, and the arguments values nobody changes afterwards.
 */
export function checkOf<A>(
  code: ReasonCode,
  passed: boolean,
  value: number | undefined,
  limit: number | undefined,
  render: (a: A) => string,
  a: A,
): Check;
export function checkOf<A, B>(
  code: ReasonCode,
  passed: boolean,
  value: number | undefined,
  limit: number | undefined,
  render: (a: A, b: B) => string,
  a: A,
  b: B,
): Check;
export function checkOf<A, B, C>(
  code: ReasonCode,
  passed: boolean,
  value: number | undefined,
  limit: number | undefined,
  render: (a: A, b: B, c: C) => string,
  a: A,
  b: B,
  c: C,
): Check;
export function checkOf<A, B, C, D>(
  code: ReasonCode,
  passed: boolean,
  value: number | undefined,
  limit: number | undefined,
  render: (a: A, b: B, c: C, d: D) => string,
  a: A,
  b: B,
  c: C,
  d: D,
): Check;
export function checkOf(
  code: ReasonCode,
  passed: boolean,
  value: number | undefined,
  limit: number | undefined,
  render: AnyRender,
  a?: unknown,
  b?: unknown,
  c?: unknown,
  d?: unknown,
): Check {
  return new Check(code, passed, render, value, limit, a, b, c, d);
}
