/**
 * The sandbox: a local fake Polymarket (CLOB REST, Data API, Gamma, RTDS, CLOB market WS) on
 * 127.0.0.1 that the official SDKs cannot tell from the real one. One port serves every host:
 *   CLOB at `/`, Data API under `/data-api`, Gamma under `/gamma-api`, geoblock at `/api/geoblock`,
 *   market WS at `/ws/market`, RTDS at `/rtds`, admin under `/_sandbox`.
 */
import { type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SeededIds } from '../core/ids.ts';
import { EventBus, type SandboxContext } from './context.ts';
import type { Exchange } from './exchange/exchange.ts';
import { FaultState } from './faults.ts';
import { registerAdmin, registerWeb } from './http/admin.ts';
import { registerChainRoutes } from './http/chain-routes.ts';
import { registerClobAccount } from './http/clob-account.ts';
import { registerClobPublic } from './http/clob-public.ts';
import { registerDataApi } from './http/data-api.ts';
import { registerDataApiV2 } from './http/data-api-v2.ts';
import { registerGamma } from './http/gamma.ts';
import { Router, type Service, createListener } from './http/router.ts';
import { type Scenario, type ScenarioInput, loadScenarioFile, parseScenario } from './scenario.ts';
import { SyntheticFlow } from './synthetic/flow.ts';
import { TapeReplay } from './synthetic/tape.ts';
import { buildExchange } from './world.ts';
import type { LocalChainOptions } from './chain/anvil.ts';
import { SandboxChain } from './chain/sandbox-chain.ts';
import { type SandboxRelayer, registerRelayer, startSandboxRelayer } from './relayer/index.ts';
import type { ChainContracts } from '../polymarket/contracts.ts';
import { MarketWsServer } from './ws/market-ws-server.ts';
import { RtdsServer } from './ws/rtds-server.ts';
import { sandboxHosts } from '../polymarket/hosts.ts';

export { parseScenario, loadScenarioFile } from './scenario.ts';
export type { Scenario, ScenarioInput } from './scenario.ts';
export type { Fault } from './faults.ts';

export interface SandboxUrls {
  clob: string;
  data: string;
  gamma: string;
  rtds: string;
  marketWs: string;
  /** Base of polymarket.com-style endpoints. */
  web: string;
  /** The geoblock check (polymarket.com/api/geoblock). */
  geoblock: string;
  admin: string;
  /** The local chain's JSON-RPC endpoints (only with `chain`). */
  chainRpc?: string;
  chainWs?: string;
  /** The emulated Polymarket relayer (only with a chain on id 137 or 80002). */
  relayer?: string;
}

export interface SandboxChainInfo {
  rpcUrl: string;
  wsUrl: string;
  chainId: number;
  contracts: ChainContracts;
  operator: string;
}

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** A scenario object, or a path to a JSON scenario file. Default: an empty world (no markets). */
  scenario?: ScenarioInput | Scenario | string;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Chain id for signature checks (default 137, what the SDK signs with for Polygon). */
  chainId?: number;
  /** Start makers, traders, tape and scheduled faults (default true). */
  synthetic?: boolean;
  /**
   * Run a local EVM chain too: every match settles there (OrderFilled), resolutions are reported there,
   * and the CLOB checks on-chain allowances. Off by default; without it the sandbox is chain-free.
   */
  chain?: boolean | LocalChainOptions;
}

export interface Sandbox {
  urls: SandboxUrls;
  port: number;
  /** The live exchange state (replaced by reset(); read it through this getter). */
  readonly state: Exchange;
  faults: FaultState;
  ctx: SandboxContext;
  flow: SyntheticFlow;
  /** The local chain, when started with `chain`. */
  chain?: SandboxChainInfo;
  /** The relayer for proxy/Safe wallets, when the chain runs as 137 or 80002 (at urls.relayer). */
  relayer?: SandboxRelayer;
  /** Rebuilds the exchange from the scenario and restarts the synthetic flow; WS clients stay connected. */
  reset(): void;
  /** Open WebSocket subscribers the servers have registered: RTDS `activity`, and market-channel (per asset). */
  subscribers(): { rtds: number; market: number; marketAsset(assetId: string): number };
  stop(): Promise<void>;
}

/** Starts a sandbox on 127.0.0.1 and resolves once it is listening. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const raw = options.scenario ?? {};
  const scenario = typeof raw === 'string' ? loadScenarioFile(raw) : parseScenario(raw);
  if (options.seed !== undefined) scenario.seed = options.seed;
  const now = () => Date.now();
  const chain = options.chain ? await SandboxChain.start(options.chain === true ? {} : options.chain) : undefined;
  if (chain) await chain.prepareScenario(scenario);
  // Proxy/Safe wallets' approvals and redeems go through it (only on chain ids the relayer client accepts).
  const relayer = chain ? await startSandboxRelayer(chain) : undefined;
  if (chain) chain.relayer = relayer;
  const faults = new FaultState(now);
  const bus = new EventBus();
  const ctx: SandboxContext = {
    exchange: buildExchange(scenario, now),
    bus,
    faults,
    scenario,
    chainId: options.chainId ?? 137,
    now,
    heartbeats: new Map(),
    chain,
  };
  const route = chain
    ? chain.attach(
        () => ctx.exchange,
        (e) => bus.emit(e),
      )
    : (e: Parameters<typeof bus.emit>[0]) => bus.emit(e);
  const wire = (ex: Exchange) => ex.on(route);
  wire(ctx.exchange);
  if (chain) for (const a of scenario.accounts) chain.credit(a.address, Math.round(a.usdc * 1e6));

  let flow = new SyntheticFlow(ctx, scenario);
  let tape = new TapeReplay(ctx, scenario);
  const startFlow = () => {
    if (options.synthetic === false) return;
    flow.start();
    tape.start();
  };

  const routers: Record<Service, Router> = {
    clob: new Router(),
    data: new Router(),
    gamma: new Router(),
    admin: new Router(),
    web: new Router(),
    relayer: new Router(),
  };
  if (relayer) registerRelayer(routers.relayer, relayer);
  registerClobPublic(routers.clob, ctx);
  registerClobAccount(routers.clob, ctx);
  registerDataApi(routers.data, ctx);
  registerDataApiV2(routers.data, ctx);
  registerGamma(routers.gamma, ctx);
  registerWeb(routers.web, ctx);
  registerChainRoutes(routers.clob, routers.admin, ctx);
  const reset = () => {
    flow.stop();
    tape.stop();
    ctx.exchange = buildExchange(scenario, now);
    wire(ctx.exchange);
    ctx.heartbeats.clear();
    faults.clear();
    flow = new SyntheticFlow(ctx, scenario);
    tape = new TapeReplay(ctx, scenario);
    startFlow();
  };
  registerAdmin(routers.admin, ctx, {
    reset,
    stats: () => ({ synthetic: flow.stats, tapeFillsEmitted: tape.emitted, rtdsSubscribers: rtds.subscribers() }),
  });

  const hung = new Set<ServerResponse>();
  const server = createServer(createListener(routers, faults, hung));
  const marketRng = new SeededIds(scenario.seed + 1);
  const market = new MarketWsServer(ctx, () => marketRng.random());
  const rtdsRng = new SeededIds(scenario.seed + 2);
  const rtds = new RtdsServer(ctx, () => rtdsRng.random());
  faults.onDrop = (ch) => {
    if (ch !== 'rtds') market.drop();
    if (ch !== 'market') rtds.drop();
  };
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const target = path === '/ws/market' ? market.wss : path === '/rtds' || path === '/' || path === '/ws' ? rtds.wss : undefined;
    if (!target) {
      socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    if (faults.wsRefused(target === market.wss ? 'market' : 'rtds')) {
      socket.write('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws, req));
  });

  // Housekeeping: GTD expiry and the heartbeat dead-man switch (10 s without a beat cancels the key's orders).
  const sweeper = setInterval(() => {
    ctx.exchange.expireOrders();
    for (const [key, last] of ctx.heartbeats) {
      if (now() - last > 10_000) {
        ctx.heartbeats.delete(key);
        ctx.exchange.cancel(ctx.exchange.liveOrders((o) => o.owner === key).map((o) => o.id));
      }
    }
  }, 1000);
  sweeper.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    clearInterval(sweeper);
    await chain?.stop();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  startFlow();

  return {
    urls: {
      ...sandboxHosts(base),
      web: base,
      admin: `${base}/_sandbox`,
      ...(chain ? { chainRpc: chain.info.rpcUrl, chainWs: chain.info.wsUrl } : {}),
      ...(relayer ? { relayer: `${base}/relayer` } : {}),
    },
    port,
    chain: chain?.info,
    relayer,
    get state() {
      return ctx.exchange;
    },
    faults,
    ctx,
    get flow() {
      return flow;
    },
    reset,
    subscribers: () => ({ rtds: rtds.subscribers(), market: market.subscribers(), marketAsset: (id) => market.subscribers(id) }),
    async stop() {
      clearInterval(sweeper);
      flow.stop();
      tape.stop();
      market.close();
      rtds.close();
      for (const res of hung) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await chain?.stop();
    },
  };
}
