import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TokenStore } from '../../../src/server/auth/token-store.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'polytail-tokens-'));

describe('TokenStore', () => {
  it('prints a token once, keeps only its scrypt hash in a 0600 file, and verifies it', async () => {
    const d = dir();
    const store = TokenStore.forDataDir(d);
    const { token, info } = await store.create('trader', 'laptop', 1000);
    expect(token).toMatch(/^ptk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const file = readFileSync(join(d, 'tokens.json'), 'utf8');
    expect(file).not.toContain(token.split('_')[2]);
    expect(statSync(join(d, 'tokens.json')).mode & 0o777).toBe(0o600);
    expect(await store.verify(token)).toEqual({ id: info.id, name: 'laptop', role: 'trader', via: 'api' });
    expect(store.list()).toEqual([{ id: info.id, name: 'laptop', role: 'trader', createdMs: 1000 }]);
  });

  it('refuses wrong, malformed and other stores’ tokens', async () => {
    const store = TokenStore.forDataDir(dir());
    const other = TokenStore.forDataDir(dir());
    const { token } = await store.create('admin', 'a', 1);
    const foreign = (await other.create('admin', 'b', 1)).token;
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const bad of [undefined, '', 'nonsense', flipped, foreign, token + 'x', token.toUpperCase()])
      expect(await store.verify(bad)).toBeUndefined();
  });

  it('a revocation by another process is seen at the next check, even for a cached token', async () => {
    const d = dir();
    const server = TokenStore.forDataDir(d);
    const cli = TokenStore.forDataDir(d);
    const { token, info } = await cli.create('viewer', 'phone', 1);
    expect(await server.verify(token)).toBeDefined();
    expect(server.verifyKnown(token)).toBeDefined();
    cli.revoke('phone', 2);
    expect(await server.verify(token)).toBeUndefined();
    expect(server.verifyKnown(token)).toBeUndefined();
    expect(cli.list()[0]).toMatchObject({ id: info.id, revokedMs: 2 });
    expect(() => cli.revoke('nobody', 3)).toThrow(/no token with id or name "nobody"/);
  });
});
