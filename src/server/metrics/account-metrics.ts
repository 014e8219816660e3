/**
 * `/metrics` of a daemon with several accounts: each account has its own SessionMetrics (its own
 * registry, every sample labelled `account`), and a scrape renders only the accounts the caller's
 * token reaches, merged into one exposition (one HELP/TYPE per metric name).
 */
import { AggregatorRegistry, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { MetricsSource } from '../control-server.ts';
import type { SessionMetrics } from './session-metrics.ts';

export class AccountMetrics implements MetricsSource {
  private readonly byAccount = new Map<string, SessionMetrics>();
  readonly contentType = Registry.PROMETHEUS_CONTENT_TYPE;

  add(accountId: string, metrics: SessionMetrics): void {
    metrics.registry.setDefaultLabels({ account: accountId });
    this.byAccount.set(accountId, metrics);
  }

  async render(accountIds: readonly string[]): Promise<string> {
    const chosen = accountIds.flatMap((id) => {
      const m = this.byAccount.get(id);
      return m ? [m] : [];
    });
    if (chosen.length === 1) return chosen[0]!.render();
    // Each gauge reads its account's snapshot once per scrape (SessionMetrics.render does the bracketing).
    const jsons: MetricObjectWithValues<MetricValue<string>>[][] = [];
    for (const m of chosen) jsons.push(await m.renderJson());
    return AggregatorRegistry.aggregate(jsons).metrics();
  }
}
