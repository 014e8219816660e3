/**
 * Changing a strategy's settings over the API goes through the knobs it declares in defineStrategy,
 * by EngineCommands.setKnob — the same path as the TUI's `+`/`-`. A knob it does not declare is
 * refused with the list of those it does; a value the knob refuses (out of its range, or params that
 * cannot take it) is refused with the knob's own reason. Several knobs in one call: all or none.
 */
import type { EngineCommands, KnobStatus, StrategyStatus } from '../../core/control.ts';
import { SurfaceError } from '../../core/session-surface.ts';

/** `multiplier = 0.5 in [0.000001, 100]: target shares × this` — what a refusal lists. */
export function describeKnob(knob: KnobStatus): string {
  const range = knob.max === undefined ? `≥ ${knob.min}` : `in [${knob.min}, ${knob.max}]`;
  return `${knob.name} = ${knob.value ?? 'not in force'} ${range}: ${knob.description}`;
}

/** Sets declared knobs of one strategy; throws a SurfaceError (400) saying why, with nothing changed. */
export function setKnobs(commands: Pick<EngineCommands, 'setKnob'>, strategy: StrategyStatus, values: Record<string, number>): void {
  const declared = new Map(strategy.knobs.map((k) => [k.name, k]));
  const unknown = Object.keys(values).filter((name) => !declared.has(name));
  if (unknown.length > 0) {
    const list = strategy.knobs.length > 0 ? strategy.knobs.map(describeKnob).join('; ') : 'it declares none';
    throw new SurfaceError(`${strategy.id} has no knob ${unknown.join(', ')}; its knobs: ${list}`, 400);
  }
  const applied: { name: string; before: number }[] = [];
  try {
    for (const [name, value] of Object.entries(values)) {
      const before = declared.get(name)!.value;
      commands.setKnob(strategy.id, name, value);
      if (before !== undefined) applied.push({ name, before });
    }
  } catch (error) {
    // Put back what this call already changed: a partial change is not what was asked for.
    for (const { name, before } of applied.reverse()) commands.setKnob(strategy.id, name, before);
    if (error instanceof RangeError) throw new SurfaceError(error.message, 400);
    throw error;
  }
}
