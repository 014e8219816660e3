/**
 * The chain side of a paper/live session: where the chain is (config `chain`, or the sandbox's own),
 * the OrderFilled feed of the targets as a third source, and (live) auto-redeem with every redemption
 * journalled and written to the session's DuckDB file. Logic lives in src/chain and src/feeds; this
 * file only wires it.
 */
import { join } from 'node:path';
import { Wallet } from 'ethers';
import type { MarketRegistry } from '../core/market-registry.ts';
import type { PolytailConfig } from '../config/config.ts';
import { AutoRedeem } from '../chain/auto-redeem.ts';
import { RedeemJournal } from '../chain/redeem-journal.ts';
import { type RedeemResult, Redeemer } from '../chain/redeemer.ts';
import { RetryingRpcProvider } from '../chain/rpc.ts';
import { TxSender } from '../chain/tx-sender.ts';
import type { RelaySender } from '../chain/relay-sender.ts';
import { openRelay } from './relayer-wallet.ts';
import { ChainFeed } from '../feeds/chain-feed.ts';
import type { FeedLog } from '../feeds/feed.ts';
import { getJson } from '../feeds/http-json.ts';
import { TokenLookup } from '../live/token-lookup.ts';
import { type ChainContracts, POLYGON_CONTRACTS } from '../polymarket/contracts.ts';
import { lockRecording, type RecordingStore } from '../store/index.ts';
import type { LiveAccount } from '../wallet/live-account.ts';

export interface ChainSettings {
  rpcUrl: string;
  wsUrl?: string;
  chainId: number;
  contracts: ChainContracts;
  feed: boolean;
  confirmations: number;
  autoRedeem: boolean;
  redeemIntervalMs: number;
  maxFeeGwei: number;
  priorityFeeGwei: number;
  /** Polymarket's relayer (proxy and Safe wallets), when configured or the sandbox runs one. */
  relayerUrl?: string;
}

/** The chain a session uses: the config's `chain`, else (against a sandbox) the sandbox's own chain, else none. */
export async function resolveChain(config: PolytailConfig, sandboxUrl?: string): Promise<ChainSettings | undefined> {
  const c = config.chain;
  if (c) {
    return {
      rpcUrl: c.rpcUrl,
      wsUrl: c.wsUrl,
      chainId: c.chainId,
      contracts: c.contracts ?? POLYGON_CONTRACTS,
      feed: c.feed,
      confirmations: c.confirmations,
      autoRedeem: c.autoRedeem,
      redeemIntervalMs: c.redeemIntervalSeconds * 1000,
      maxFeeGwei: c.maxFeeGwei,
      priorityFeeGwei: c.priorityFeeGwei,
      ...(c.relayerUrl ? { relayerUrl: c.relayerUrl } : {}),
    };
  }
  if (!sandboxUrl) return undefined;
  const base = sandboxUrl.replace(/\/$/, '');
  const info = (await getJson(`${base}/_sandbox/chain`, { attempts: 1, timeoutMs: 5000 }).catch(() => undefined)) as
    { rpcUrl: string; wsUrl: string; chainId: number; contracts: ChainContracts; relayerPath?: string } | undefined;
  if (!info) return undefined;
  return {
    rpcUrl: info.rpcUrl,
    wsUrl: info.wsUrl,
    chainId: info.chainId,
    contracts: info.contracts,
    feed: true,
    confirmations: 1,
    autoRedeem: true,
    redeemIntervalMs: 10_000,
    maxFeeGwei: 500,
    priorityFeeGwei: 1,
    ...(info.relayerPath ? { relayerUrl: `${base}${info.relayerPath}` } : {}),
  };
}

export interface SessionChainDeps {
  mode: 'paper' | 'live';
  settings: ChainSettings;
  wallets: string[];
  markets: MarketRegistry;
  gammaUrl: string;
  dataUrl: string;
  dataDir: string;
  recording: RecordingStore;
  runId: string;
  /** Live: the trading wallet (redeems are sent for its funder). */
  account?: LiveAccount;
  /** Where the relayer's builder credentials are read (proxy and Safe wallets). */
  env?: NodeJS.ProcessEnv;
  log: FeedLog;
  /** Overrides for tests and the chaos run. */
  feedPollMs?: number;
}

export interface SessionChain {
  settings: ChainSettings;
  feed?: ChainFeed;
  autoRedeem?: AutoRedeem;
  redeemer?: Redeemer;
  /** Redemptions booked by this process (also in the `redeems` table). */
  readonly redeems: RedeemResult[];
  start(): void;
  stop(): Promise<void>;
}

export function buildSessionChain(deps: SessionChainDeps): SessionChain {
  const { settings, log } = deps;
  const lookup = new TokenLookup(deps.gammaUrl, deps.markets);
  const feed = settings.feed
    ? new ChainFeed({
        wallets: deps.wallets,
        rpcUrl: settings.rpcUrl,
        wsUrl: settings.wsUrl,
        exchanges: [settings.contracts.exchange, settings.contracts.negRiskExchange],
        confirmations: settings.confirmations,
        ...(deps.feedPollMs ? { pollIntervalMs: deps.feedPollMs } : {}),
        describeToken: (tokenId) => lookup.describe(tokenId),
        onAlert: (message) => log('error', `chain: ${message}; check the copy of that fill by hand`),
        log,
      })
    : undefined;
  const redeems: RedeemResult[] = [];
  let journal: RedeemJournal | undefined;
  let redeemer: Redeemer | undefined;
  let autoRedeem: AutoRedeem | undefined;
  if (deps.mode === 'live' && settings.autoRedeem && deps.account) {
    const account = deps.account;
    const provider = new RetryingRpcProvider(settings.rpcUrl, settings.chainId);
    let sender: TxSender | undefined;
    let relay: RelaySender | undefined;
    if (account.signatureType === 0) {
      sender = new TxSender(new Wallet(account.signer.privateKey, provider), provider, {
        maxFeeGwei: settings.maxFeeGwei,
        priorityFeeGwei: settings.priorityFeeGwei,
      });
    } else {
      // The positions belong to the proxy/Safe wallet, which only Polymarket's relayer can move.
      const opened = openRelay(account, settings, provider, deps.env ?? {});
      if ('reason' in opened) log('error', `auto-redeem is off: ${opened.reason} (or set chain.autoRedeem false to silence this)`);
      else relay = opened.relay;
    }
    if (sender || relay) {
      const journalPath = join(deps.dataDir, 'sessions', 'redeems.journal.jsonl');
      const redeemJournal = (journal = new RedeemJournal(journalPath));
      redeemer = new Redeemer({
        provider,
        contracts: settings.contracts,
        holder: account.funderAddress,
        journal,
        ...(sender ? { sender } : { relay }),
        confirmations: settings.confirmations,
        book: async (r) => {
          await deps.recording.appendRedeem(deps.runId, {
            redeemId: r.id,
            tsMs: r.tsMs,
            conditionId: r.conditionId,
            negRisk: r.negRisk,
            holder: r.holder,
            txHash: r.txHash,
            ok: r.ok,
            payoutMicros: r.payoutMicros,
            via: r.via,
          });
          redeems.push(r);
        },
      });
      autoRedeem = new AutoRedeem({
        redeemer,
        dataUrl: deps.dataUrl,
        intervalMs: settings.redeemIntervalMs,
        log,
        // One redeeming process at a time per data folder: a `polytail redeem` run skips this round.
        exclusive: async () => {
          const lock = await lockRecording(journalPath, {
            command: `polytail ${deps.mode} session (auto-redeem)`,
            hint: 'skipped this round',
          });
          redeemJournal.reload();
          return () => lock.release();
        },
      });
    }
  }
  return {
    settings,
    feed,
    autoRedeem,
    redeemer,
    redeems,
    start: () => autoRedeem?.start(),
    async stop() {
      await autoRedeem?.stop();
      journal?.close();
    },
  };
}
