/**
 * Starts a local EVM node for the sandbox: Foundry's anvil, whose Linux binary ships inside an npm package
 * (@foundry-rs/anvil-linux-amd64), so nothing is downloaded at run time. It starts in about 0.1 s, answers
 * HTTP and WebSocket (eth_subscribe logs/newHeads) on one port, mines on an interval like a real chain, and
 * can reorganise its own head (anvil_reorg) for the reorg tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The well-known development mnemonic: account 0 is the sandbox's test wallet, the last one its operator. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
/** Never 137: a transaction signed for the sandbox chain cannot be replayed on Polygon. */
export const LOCAL_CHAIN_ID = 31337;

export interface LocalChainOptions {
  /** Interval between blocks (default 500 ms; Polygon makes one about every 2 s). */
  blockTimeMs?: number;
  chainId?: number;
  /** Dev accounts to create (default 10). */
  accounts?: number;
}

export interface LocalChain {
  rpcUrl: string;
  wsUrl: string;
  chainId: number;
  blockTimeMs: number;
  stop(): Promise<void>;
}

const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@foundry-rs/anvil-linux-amd64',
  'linux-arm64': '@foundry-rs/anvil-linux-arm64',
  'darwin-x64': '@foundry-rs/anvil-darwin-amd64',
  'darwin-arm64': '@foundry-rs/anvil-darwin-arm64',
  'win32-x64': '@foundry-rs/anvil-win32-amd64',
};

/** Path of the anvil binary installed with the npm package, or an error that says what to install. */
export function anvilBinary(): string {
  const pkg = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (!pkg) throw new Error(`the local chain (anvil) has no build for ${process.platform}-${process.arch}`);
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = require.resolve(`${pkg}/package.json`).replace(/package\.json$/, '');
  } catch {
    throw new Error(`the local chain needs the npm package ${pkg} (run npm ci; it is an optional dependency of @foundry-rs/anvil)`);
  }
  const bin = `${dir}bin/anvil${process.platform === 'win32' ? '.exe' : ''}`;
  if (!existsSync(bin)) throw new Error(`anvil binary missing at ${bin}: reinstall with npm ci`);
  return bin;
}

export async function startLocalChain(options: LocalChainOptions = {}): Promise<LocalChain> {
  const blockTimeMs = options.blockTimeMs ?? 500;
  const chainId = options.chainId ?? LOCAL_CHAIN_ID;
  const args = ['--host', '127.0.0.1', '--port', '0', '--chain-id', String(chainId), '--mnemonic', DEV_MNEMONIC];
  args.push('--accounts', String(options.accounts ?? 10), '--block-time', String(blockTimeMs / 1000));
  const child: ChildProcess = spawn(anvilBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`anvil did not start within 30 s:\n${out.slice(-2000)}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`anvil exited with code ${code}:\n${out.slice(-2000)}`));
    });
  });
  // Keep draining its output (a full pipe would stall the node) but forget it.
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  child.stdout!.resume();
  child.stderr!.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A parent that ends without stop() (process.exit, an uncaught error) must not leave the node running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  return {
    rpcUrl: `http://${address}`,
    wsUrl: `ws://${address}`,
    chainId,
    blockTimeMs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
