/** The control API's knob changes on a real engine: declared knobs only, the knob's own refusals, all or none. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SurfaceError } from '../../../src/core/session-surface.ts';
import { setKnobs } from '../../../src/server/http/knobs.ts';
import { defineStrategy, type StrategyDefinition } from '../../../src/strategy/api.ts';
import { buildHarness } from '../../helpers/engine-harness.ts';

/** Two knobs; `depth` refuses 7 the way a strategy refuses what its params cannot take. */
const twoKnobs = defineStrategy({
  apiVersion: 1,
  name: 'two-knobs',
  description: 'a market strategy with two knobs',
  kind: 'market',
  params: z.object({ speed: z.number(), depth: z.number() }),
  knobs: {
    speed: { description: 'how fast', get: (p) => p.speed, set: (p, v) => void (p.speed = v), max: 10 },
    depth: {
      description: 'how deep',
      get: (p) => p.depth,
      set: (p, v) => {
        if (v === 7) throw new RangeError('depth 7 collides with speed');
        p.depth = v;
      },
    },
  },
  create: () => ({}),
});

function engine() {
  const h = buildHarness({ strategies: [{ definition: twoKnobs as StrategyDefinition, params: { speed: 1, depth: 2 }, id: 'k' }] });
  const status = () => h.engine.snapshot().strategies[0]!;
  return { commands: h.engine.control, status };
}

const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SurfaceError);
    return { status: (error as SurfaceError).status, message: (error as Error).message };
  }
  throw new Error('expected a refusal');
};

describe('setKnobs', () => {
  it('the snapshot lists each declared knob with its value and range', () => {
    expect(engine().status().knobs).toEqual([
      { name: 'speed', description: 'how fast', value: 1, min: 0.000001, max: 10 },
      { name: 'depth', description: 'how deep', value: 2, min: 0.000001 },
    ]);
  });

  it('turns declared knobs, kept to 6 decimals', () => {
    const { commands, status } = engine();
    setKnobs(commands, status(), { speed: 2.0000004, depth: 3 });
    expect(status().knobs.map((k) => k.value)).toEqual([2, 3]);
  });

  it('an undeclared knob: 400 with the declared ones listed, nothing changed', () => {
    const { commands, status } = engine();
    expect(refusal(() => setKnobs(commands, status(), { speed: 2, multiplier: 3 }))).toEqual({
      status: 400,
      message: 'k has no knob multiplier; its knobs: speed = 1 in [0.000001, 10]: how fast; depth = 2 ≥ 0.000001: how deep',
    });
    expect(status().knobs.map((k) => k.value)).toEqual([1, 2]);
  });

  it('a value a knob refuses: 400 with its reason, and the knobs set before it in the call are put back', () => {
    const { commands, status } = engine();
    expect(refusal(() => setKnobs(commands, status(), { speed: 11 }))).toEqual({
      status: 400,
      message: 'strategy k: speed must be a number in [0.000001, 10], got 11',
    });
    expect(refusal(() => setKnobs(commands, status(), { speed: 5, depth: 7 }))).toEqual({
      status: 400,
      message: 'strategy k: depth 7 collides with speed',
    });
    expect(status().knobs.map((k) => k.value)).toEqual([1, 2]);
  });
});
