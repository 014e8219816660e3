/**
 * Text that is made only when someone reads it. Every decision keeps its reason code and numbers;
 * the sentence that explains them ("order $12.00 ≤ maximum $20.00") costs more to format than the
 * rest of a copied trade, and a headless replay or a sweep never shows it. So the hot path keeps a
 * `LazyText` — a top-level render function and up to five arguments, no closure, no array — and the
 * TUI, the report and the store turn it into a string when they show or store it: the same text as
 * formatting it at once.
 */

/** A message as the engine and strategies pass it around: a plain string, or text rendered on first read. */
export type Text = string | LazyText;

type AnyRender = (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown) => string;

export class LazyText {
  private rendered: string | undefined;

  constructor(
    private readonly render: AnyRender,
    private readonly a?: unknown,
    private readonly b?: unknown,
    private readonly c?: unknown,
    private readonly d?: unknown,
    private readonly e?: unknown,
  ) {}

  /** The text (rendered once, then kept). Template literals and String() call this. */
  toString(): string {
    if (this.rendered === undefined) this.rendered = this.render(this.a, this.b, this.c, this.d, this.e);
    return this.rendered;
  }

  toJSON(): string {
    return this.toString();
  }
}

/**
 * `lazy(render, a, b)` is the text `render(a, b)`, made when first read. `render` must be a pure
 * top-level function of its arguments, and the arguments values nobody changes afterwards.
 */
export function lazy(render: () => string): LazyText;
export function lazy<A>(render: (a: A) => string, a: A): LazyText;
export function lazy<A, B>(render: (a: A, b: B) => string, a: A, b: B): LazyText;
export function lazy<A, B, C>(render: (a: A, b: B, c: C) => string, a: A, b: B, c: C): LazyText;
export function lazy<A, B, C, D>(render: (a: A, b: B, c: C, d: D) => string, a: A, b: B, c: C, d: D): LazyText;
export function lazy<A, B, C, D, E>(render: (a: A, b: B, c: C, d: D, e: E) => string, a: A, b: B, c: C, d: D, e: E): LazyText;
export function lazy(render: AnyRender, a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): LazyText {
  return new LazyText(render, a, b, c, d, e);
}

/** A Text as a string ('' for none). */
export function textOf(text: Text | undefined): string {
  return text === undefined ? '' : typeof text === 'string' ? text : text.toString();
}
