/**
 * The sandbox's chain endpoints: `POST /rpc` forwards JSON-RPC to the local node, so the fault
 * machinery (HTTP faults on path `/rpc`: 429, 5xx, hangs) can stand in for a flaky RPC provider; and
 * `POST /_sandbox/chain/reorg {depth, keepTxs}` reorganises the last blocks (the chaos run's reorg fault).
 */
import type { SandboxContext } from '../context.ts';
import { type Router, error, json } from './router.ts';

export function registerChainRoutes(clob: Router, admin: Router, ctx: SandboxContext): void {
  clob.add('POST', '/rpc', async (q) => {
    if (!ctx.chain) return error(404, 'this sandbox runs without a chain');
    const res = await fetch(ctx.chain.info.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: q.rawBody });
    return json(res.status, await res.json());
  });
  admin.add('POST', '/_sandbox/chain/reorg', async (q) => {
    if (!ctx.chain) return error(404, 'this sandbox runs without a chain');
    let body: { depth?: number; keepTxs?: boolean } = {};
    try {
      body = JSON.parse(q.rawBody || '{}');
    } catch {
      return error(400, 'body must be JSON: {"depth": 2, "keepTxs": true}');
    }
    const depth = body.depth ?? 2;
    if (!Number.isInteger(depth) || depth < 1 || depth > 64) return error(400, 'depth: 1 to 64 blocks');
    const { dropped } = await ctx.chain.reorg(depth, body.keepTxs !== false);
    return json(200, { depth, dropped });
  });
}
