/** The `chain` section: what is accepted, and the relayer (proxy/Safe wallets), refused by name rather than ignored. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';

describe('config chain', () => {
  it('takes an EOA setup with its defaults', () => {
    const c = parseConfig({ chain: { rpcUrl: 'http://127.0.0.1:8545' } });
    expect(c.chain).toMatchObject({ chainId: 137, confirmations: 2, autoRedeem: true, feed: true });
  });

  it('refuses relayerUrl, saying the relayer is not supported and what to do instead', () => {
    expect(() => parseConfig({ chain: { rpcUrl: 'http://127.0.0.1:8545', relayerUrl: 'https://relayer-v2.polymarket.com' } })).toThrow(
      /chain\.relayerUrl: Polymarket's relayer \(proxy and Safe wallets\) is not supported: remove relayerUrl/,
    );
  });
});
