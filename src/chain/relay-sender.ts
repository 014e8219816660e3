/**
 * Sends a proxy or Safe wallet's transactions through Polymarket's relayer with its own client
 * (@polymarket/builder-relayer-client): the EOA signs (a Safe transaction or a proxy call), the relayer
 * pays the gas and executes it from the wallet, builder credentials sign each authed request. The client
 * prints every request it builds to the console; its calls run with the console quieted. `onSubmit` sees
 * the signed request just before POST /submit (the builder-header hook is the one point between the
 * client's signing and its submit), so a journal can hold it before it can reach the relayer.
 */
import { RelayClient, RelayerTxType, deriveProxyWallet, deriveSafe } from '@polymarket/builder-relayer-client';
import { BuilderConfig } from '@polymarket/builder-signing-sdk';
import type { Wallet } from 'ethers';

export interface BuilderCreds {
  key: string;
  secret: string;
  passphrase: string;
}

export interface RelayCall {
  to: string;
  data: string;
}

/** The signed request as posted to /submit (what the journal keeps to find it again). */
export interface RelayRequest {
  from: string;
  to: string;
  proxyWallet: string;
  data: string;
  nonce?: string;
  signature: string;
  type: string;
}

export interface RelayedTx {
  transactionID: string;
  state: string;
  transactionHash: string;
  nonce?: string;
  signature?: string;
  proxyAddress?: string;
}

interface ContractConfig {
  SafeContracts: { SafeFactory: string };
  ProxyContracts: { ProxyFactory: string; RelayHub: string };
}

export const RELAYER_DONE = ['STATE_MINED', 'STATE_CONFIRMED'];
export const RELAYER_FAILED = ['STATE_FAILED', 'STATE_INVALID'];

export interface RelaySenderOptions {
  relayerUrl: string;
  chainId: number;
  rpcUrl: string;
  /** The EOA (with a provider: the client estimates proxy gas through it). */
  signer: Wallet;
  creds: BuilderCreds;
  kind: 'proxy' | 'safe';
  pollMs?: number;
  /**
   * Proxy factory and relay hub in place of the client's own table (which has them for 137 only). Only
   * for the sandbox's loopback relayer (relayer-wallet.ts decides); real chains keep Polymarket's table.
   */
  proxyContracts?: { ProxyFactory: string; RelayHub: string };
}

export class RelaySender {
  private readonly client: RelayClient;
  private onSubmit?: (req: RelayRequest) => void;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: RelaySenderOptions) {
    const builder = new BuilderConfig({ localBuilderCreds: { ...o.creds } });
    // The client calls generateBuilderHeaders(method, path, body) right before each authed request.
    const hooked = {
      isValid: () => builder.isValid(),
      generateBuilderHeaders: (method: string, path: string, body?: string) => {
        if (path === '/submit' && body && this.onSubmit) this.onSubmit(JSON.parse(body) as RelayRequest);
        return builder.generateBuilderHeaders(method, path, body);
      },
    } as unknown as BuilderConfig;
    const chain = {
      id: o.chainId,
      name: `chain ${o.chainId}`,
      nativeCurrency: { name: 'POL', symbol: 'POL', decimals: 18 },
      rpcUrls: { default: { http: [o.rpcUrl] } },
    };
    this.client = new RelayClient(o.relayerUrl, o.chainId, o.signer, hooked, o.kind === 'safe' ? RelayerTxType.SAFE : RelayerTxType.PROXY, {
      chain: chain as never,
    });
    if (o.proxyContracts) {
      // The client picks its table by chain id in the constructor (dist/config getContractConfig) and has no
      // option for it; a new object on this instance leaves the module's shared table untouched.
      const c = this.client as unknown as { contractConfig: ContractConfig };
      c.contractConfig = { ...c.contractConfig, ProxyContracts: { ...o.proxyContracts } };
    }
  }

  get kind(): 'proxy' | 'safe' {
    return this.o.kind;
  }

  /** The wallet the relayer acts for, as the client derives it from the EOA (CREATE2 from its factory). */
  wallet(): string {
    const cfg = (this.client as unknown as { contractConfig: ContractConfig }).contractConfig;
    const factory = this.o.kind === 'safe' ? cfg.SafeContracts.SafeFactory : cfg.ProxyContracts.ProxyFactory;
    if (!factory) throw new Error(`it has no ${this.o.kind} factory for chain ${this.o.chainId}`);
    const from = this.o.signer.address as `0x${string}`;
    return this.o.kind === 'safe' ? deriveSafe(from, factory) : deriveProxyWallet(from, factory);
  }

  /** Whether the Safe exists on chain (proxy wallets are created by their first relayed call). */
  async deployed(): Promise<boolean> {
    if (this.o.kind === 'proxy') return true;
    return quiet(() => this.client.getDeployed(this.wallet()));
  }

  /** Deploys the Safe through the relayer and waits for it. */
  async deploy(): Promise<RelayedTx> {
    return this.serial(async () => this.wait((await quiet(() => this.client.deploy())).transactionID));
  }

  /**
   * Submits the calls as one relayer transaction (a Safe batches them through MultiSend). `beforeSubmit`
   * runs with the signed request before it is posted; throwing from it stops the submit.
   */
  async submit(calls: RelayCall[], beforeSubmit?: (req: RelayRequest) => void): Promise<RelayedTx> {
    return this.serial(async () => {
      this.onSubmit = beforeSubmit;
      try {
        const r = await quiet(() => this.client.execute(calls.map((c) => ({ ...c, value: '0' }))));
        return { transactionID: r.transactionID, state: r.state, transactionHash: r.transactionHash ?? '' };
      } finally {
        this.onSubmit = undefined;
      }
    });
  }

  async lookup(id: string): Promise<RelayedTx | undefined> {
    const list = (await quiet(() => this.client.getTransaction(id))) as unknown as RelayedTx[];
    return list[0];
  }

  /** The builder's transactions the relayer knows (to find a submit whose answer a crash cut off). */
  async list(): Promise<RelayedTx[]> {
    return (await quiet(() => this.client.getTransactions())) as unknown as RelayedTx[];
  }

  /** Polls the relayer until the transaction is mined or failed (condition wait with backoff). */
  async wait(id: string, timeoutMs = 180_000): Promise<RelayedTx> {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; ; i++) {
      const t = await this.lookup(id);
      if (t && (RELAYER_DONE.includes(t.state) || RELAYER_FAILED.includes(t.state))) return t;
      if (Date.now() > deadline)
        throw new Error(`relayer transaction ${id} not mined within ${timeoutMs / 1000} s (last state ${t?.state ?? 'unknown'})`);
      await new Promise((r) => setTimeout(r, Math.min(this.o.pollMs ?? 2000, 50 * 2 ** i)));
    }
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.queue.catch(() => undefined).then(f);
    this.queue = run;
    return run;
  }
}

let quietDepth = 0;
let saved: Pick<Console, 'log' | 'error'> | undefined;

/** Runs a client call with console.log/error silenced (it prints requests and errors it also throws). */
async function quiet<T>(f: () => Promise<T>): Promise<T> {
  if (quietDepth++ === 0) {
    saved = { log: console.log, error: console.error };
    console.log = () => {};
    console.error = () => {};
  }
  try {
    return await f();
  } finally {
    if (--quietDepth === 0 && saved) {
      console.log = saved.log;
      console.error = saved.error;
    }
  }
}
