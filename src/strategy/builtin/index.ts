/** The copy strategies that ship inside polytail, by name. Files in ./strategies add to these. */
import type { StrategyDefinition } from '../api.ts';
import { fade } from './fade.ts';
import { mirror } from './mirror.ts';
import { proportional } from './proportional.ts';
import { selective } from './selective.ts';

export const builtinStrategies: Record<string, StrategyDefinition> = {
  mirror,
  proportional,
  selective,
  fade,
};

export { fade, mirror, proportional, selective };
