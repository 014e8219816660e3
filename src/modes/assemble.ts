/**
 * Turns a config (plus command-line overrides) into the engine's strategy specs and risk managers.
 * Shared by replay, sweep, paper and live, so every mode reads settings the same way.
 */
import { ConfigError } from '../core/errors.ts';
import type { StrategySpec } from '../strategy/strategy-instance.ts';
import { parseRiskLimits } from '../risk/limits-schema.ts';
import { RiskManager } from '../risk/risk-manager.ts';
import { loadStrategy, parseStrategyParams } from '../strategy/loader.ts';
import type { PolytailConfig } from '../config/config.ts';

export interface Overrides {
  /** Wallets to copy instead of the config's targets. */
  targets?: string[];
  strategy?: string;
  multiplier?: number;
}

export interface Assembly {
  strategies: StrategySpec[];
  risk: RiskManager;
  strategyRisk: Record<string, RiskManager>;
  wallets: string[];
}

export async function assemble(config: PolytailConfig, overrides: Overrides = {}): Promise<Assembly> {
  const specs: StrategySpec[] = [];
  const strategyRisk: Record<string, RiskManager> = {};
  const targets = overrides.targets?.length
    ? overrides.targets.map((wallet) => {
        const existing = config.targets.find((t) => t.wallet === wallet.toLowerCase());
        return (
          existing ?? { wallet: wallet.toLowerCase(), strategy: overrides.strategy ?? 'mirror', params: {} as Record<string, unknown> }
        );
      })
    : config.targets;
  for (const target of targets) {
    const name = overrides.strategy ?? target.strategy;
    const definition = await loadStrategy(name);
    if (definition.kind !== 'copy')
      throw new ConfigError(
        `strategy "${name}" is a market strategy; targets need a copy strategy (mirror, proportional, selective, fade or a copy file)`,
      );
    const raw: Record<string, unknown> = { ...target.params, wallets: [target.wallet] };
    if (overrides.multiplier !== undefined) raw['sizing'] = { mode: 'multiplier', multiplier: overrides.multiplier };
    const params = parseStrategyParams(definition, raw) as Record<string, unknown>;
    specs.push({ definition, params, id: target.label ? `${name}:${target.label}` : undefined });
  }
  for (const entry of config.strategies) {
    const definition = await loadStrategy(entry.name);
    const params = parseStrategyParams(definition, entry.params) as Record<string, unknown>;
    const id = entry.id ?? `${entry.name}#${specs.filter((s) => s.definition.name === entry.name).length + 1}`;
    specs.push({ definition, params, id });
    if (entry.risk) strategyRisk[id] = new RiskManager(parseLimits(entry.risk, `strategies[${id}].risk`));
  }
  const risk = new RiskManager(parseLimits(config.risk, 'risk'));
  return { strategies: specs, risk, strategyRisk, wallets: targets.map((t) => t.wallet.toLowerCase()) };
}

function parseLimits(raw: unknown, where: string) {
  try {
    return parseRiskLimits(raw);
  } catch (error) {
    throw new ConfigError(`${where}: ${(error as Error).message}`);
  }
}
