/** `polytail sandbox`: run the local fake Polymarket until Ctrl+C. */
import { fileURLToPath } from 'node:url';
import type { CommandModule } from 'yargs';
import { Wallet } from 'ethers';
import { startSandbox } from '../../sandbox/index.ts';
import { SANDBOX_TEST_PRIVATE_KEY } from '../../sandbox/test-key.ts';

export const DEFAULT_SCENARIO = fileURLToPath(new URL('../../sandbox/scenarios/default.json', import.meta.url));

interface Args {
  port: number;
  scenario: string;
  seed?: number;
  chain: boolean;
  blockTimeMs: number;
  chainId: number;
}

export const sandboxCommand: CommandModule<object, Args> = {
  command: 'sandbox',
  describe: 'run a local fake Polymarket (CLOB, Data API, Gamma, RTDS, market WS) on 127.0.0.1 with synthetic traders',
  builder: (y) =>
    y
      .option('port', { type: 'number', default: 8787, describe: 'port on 127.0.0.1 (0 = any free port)' })
      .option('scenario', {
        type: 'string',
        default: DEFAULT_SCENARIO,
        describe: 'scenario JSON (markets, makers, traders, tape, faults); see docs/sandbox.md',
      })
      .option('seed', { type: 'number', describe: "override the scenario's seed" })
      .option('chain', {
        type: 'boolean',
        default: false,
        describe: 'also run a local EVM chain (anvil): matches settle there with OrderFilled, markets resolve there, redeem works',
      })
      .option('block-time-ms', { type: 'number', default: 1000, describe: 'local chain block interval with --chain' })
      .option('chain-id', {
        type: 'number',
        default: 31337,
        choices: [31337, 80002],
        describe: "local chain id with --chain; 80002 (Amoy's id) also runs a relayer for proxy/Safe wallets (docs/live.md)",
      }) as never,
  handler: async (args) => {
    const sb = await startSandbox({
      port: args.port,
      scenario: args.scenario,
      seed: args.seed,
      chain: args.chain ? { blockTimeMs: args.blockTimeMs, chainId: args.chainId } : false,
    });
    const chainLines = sb.chain
      ? [
          `  chain RPC     ${sb.chain.rpcUrl}  (WebSocket ${sb.chain.wsUrl}, chain id ${sb.chain.chainId})`,
          `  contracts     ${Object.entries(sb.chain.contracts)
            .map(([k, v]) => `${k} ${v}`)
            .join('\n                ')}`,
          '  (orders need approvals on this chain first: the CLOB answers "not enough balance / allowance" until then)',
          ...(sb.urls.relayer ? [`  relayer       ${sb.urls.relayer}  (Safe wallets: sandbox builder credentials apply)`] : []),
        ]
      : [];
    const address = new Wallet(SANDBOX_TEST_PRIVATE_KEY).address;
    const targets = sb.ctx.scenario.traders.map((t) => `    ${t.address}  ${t.name ?? ''}  (~${t.ratePerMinute}/min)`).join('\n');
    process.stdout.write(
      [
        `polytail sandbox listening on 127.0.0.1:${sb.port} (scenario ${args.scenario}, seed ${sb.ctx.scenario.seed})`,
        '',
        `  CLOB REST     ${sb.urls.clob}`,
        `  Data API      ${sb.urls.data}`,
        `  Gamma API     ${sb.urls.gamma}`,
        `  RTDS          ${sb.urls.rtds}`,
        `  market WS     ${sb.urls.marketWs}`,
        `  geoblock      ${sb.urls.geoblock}`,
        `  admin         ${sb.urls.admin}/state | /ledger | /faults | /reset`,
        ...chainLines,
        '',
        '  Test wallet (SANDBOX ONLY — a publicly known key, never fund it on a real chain):',
        `    private key ${SANDBOX_TEST_PRIVATE_KEY}`,
        `    address     ${address}  (gets $${sb.ctx.scenario.defaultUsdc} on its first API key)`,
        '',
        '  Synthetic target wallets to tail:',
        targets || '    (none in this scenario)',
        '',
        '  Point polytail at it: put this in your config file (see docs/sandbox.md):',
        `    "hosts": ${JSON.stringify({ clob: sb.urls.clob, data: sb.urls.data, gamma: sb.urls.gamma, rtds: sb.urls.rtds, marketWs: sb.urls.marketWs, geoblock: sb.urls.geoblock })}`,
        '',
        'Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await sb.stop();
    process.stdout.write('sandbox stopped\n');
  },
};
