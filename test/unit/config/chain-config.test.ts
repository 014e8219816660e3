/** The `chain` section: what is accepted, including Polymarket's relayer (proxy/Safe wallets). */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';

describe('config chain', () => {
  it('takes an EOA setup with its defaults', () => {
    const c = parseConfig({ chain: { rpcUrl: 'http://127.0.0.1:8545' } });
    expect(c.chain).toMatchObject({ chainId: 137, confirmations: 2, autoRedeem: true, feed: true });
  });

  it('takes relayerUrl (proxy and Safe wallets) and refuses one that is not a URL', () => {
    const c = parseConfig({ chain: { rpcUrl: 'http://127.0.0.1:8545', relayerUrl: 'https://relayer-v2.polymarket.com' } });
    expect(c.chain?.relayerUrl).toBe('https://relayer-v2.polymarket.com');
    expect(() => parseConfig({ chain: { rpcUrl: 'http://127.0.0.1:8545', relayerUrl: 'relayer' } })).toThrow(/chain\.relayerUrl/);
  });
});
