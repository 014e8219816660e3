/**
 * Errors of the strategy layer. A strategy that throws at run time is paused alone (StrategyError);
 * a file that cannot be loaded or params that do not parse stop startup with a message that says
 * which file or key to fix.
 */

/** A strategy handler threw or returned something the engine cannot use. The engine alerts; the instance is paused. */
export class StrategyError extends Error {
  override readonly name = 'StrategyError';
  constructor(
    readonly strategyId: string,
    /** The handler that failed, e.g. `onTargetTrade`. */
    readonly handler: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A strategy file (or built-in name) could not be turned into a StrategyDefinition. */
export class StrategyLoadError extends Error {
  override readonly name = 'StrategyLoadError';
  constructor(
    /** The file (or name) that failed. */
    readonly source: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A strategy's params failed its zod schema; `problems` holds one line per issue. */
export class StrategyParamsError extends Error {
  override readonly name = 'StrategyParamsError';
  constructor(
    readonly strategyName: string,
    readonly problems: string[],
  ) {
    super(problems.map((p) => `strategy "${strategyName}": ${p}`).join('\n'));
  }
}
