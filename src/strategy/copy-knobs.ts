/**
 * The knob copy strategies share: `multiplier`, which scales BUY sizes while the strategy runs (the
 * TUI's `+`/`-`). Under multiplier sizing it is `sizing.multiplier`; under tiers it is the tiers'
 * `scale`; fixed and percent sizing have none and say so.
 */
import type { Knob } from './api.ts';
import type { Sizing } from './sizing.ts';

/** The largest multiplier a running copy strategy may be turned to (the config may start higher, on purpose). */
export const MAX_RUNTIME_MULTIPLIER = 100;

export const sizingMultiplierKnob: Knob<{ sizing: Sizing }> = {
  description: 'multiplier sizing: target shares × this; tiers sizing: scales every tier',
  // A change while running is a keystroke or one API call away: 100× is far past any sane copy.
  max: MAX_RUNTIME_MULTIPLIER,
  get(params) {
    const sizing = params.sizing;
    if (sizing.mode === 'multiplier') return sizing.multiplier;
    if (sizing.mode === 'tiers') return sizing.scale;
    return undefined;
  },
  set(params, value) {
    const sizing = params.sizing;
    if (sizing.mode === 'multiplier') sizing.multiplier = value;
    else if (sizing.mode === 'tiers') sizing.scale = value;
    else throw new RangeError(`sizes by ${sizing.mode}; a multiplier applies only to multiplier or tiers sizing`);
  },
};

/** Knobs for a strategy whose params spread `copyParamsShape`. */
export const copyKnobs = { multiplier: sizingMultiplierKnob };
