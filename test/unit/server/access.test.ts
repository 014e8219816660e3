/** Users, grants and what a token reaches: the rules of auth/access.ts over a real users.json. */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccountDirectory, HostedAccount } from '../../../src/core/account-directory.ts';
import { ConfigError } from '../../../src/core/errors.ts';
import { accessOf } from '../../../src/server/auth/access.ts';
import type { Principal } from '../../../src/server/auth/roles.ts';
import { UserStore } from '../../../src/server/auth/user-store.ts';
import { runUser } from '../../../src/cli/commands/user.ts';
import { TokenStore } from '../../../src/server/auth/token-store.ts';

const account = (id: string, parent?: string): HostedAccount => ({
  info: { id, label: id, kind: parent ? 'sub' : 'wallet', mode: 'paper', state: 'running', ...(parent ? { parent } : {}) },
});
const all = [account('solo'), account('pool'), account('pool-ann', 'pool'), account('pool-ben', 'pool')];
const directory: AccountDirectory = { list: () => all, get: (id) => all.find((a) => a.info.id === id) };
const token = (role: Principal['role'], user?: string): Principal => ({ id: 't', name: 't', role, via: 'api', ...(user ? { user } : {}) });

describe('access: a token reaches only its user’s accounts, at the lower of its role and the grant', () => {
  it('operator tokens reach every account; user tokens their grants, capped; a pool grant reaches its sub-accounts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'polytail-users-'));
    const users = UserStore.forDataDir(dir);
    users.create('ann', { nowMs: 1 });
    users.create('op', { nowMs: 1, daemonAdmin: true });
    users.grant('ann', 'pool-ann', 'trader');
    users.grant('ann', 'solo', 'viewer');
    expect(statSync(users.path).mode & 0o777).toBe(0o600);

    const operator = accessOf(token('admin'), users, directory)!;
    expect(operator.daemonAdmin).toBe(true);
    expect(all.map((a) => operator.roleOn(a.info.id))).toEqual(['admin', 'admin', 'admin', 'admin']);
    expect(accessOf(token('trader'), users, directory)!.daemonAdmin).toBe(false);

    const ann = accessOf(token('admin', 'ann'), users, directory)!;
    expect(ann.daemonAdmin).toBe(false);
    expect(all.map((a) => ann.roleOn(a.info.id))).toEqual(['viewer', undefined, 'trader', undefined]);
    const annViewer = accessOf(token('viewer', 'ann'), users, directory)!;
    expect(annViewer.roleOn('pool-ann')).toBe('viewer'); // the token's role caps the grant
    expect(ann.roleOn('nope')).toBeUndefined();

    users.grant('ann', 'pool', 'admin');
    expect(accessOf(token('admin', 'ann'), users, directory)!.roleOn('pool-ben')).toBe('admin');

    const op = accessOf(token('admin', 'op'), users, directory)!;
    expect(op.daemonAdmin).toBe(true);
    expect(op.roleOn('pool-ben')).toBe('admin');
    expect(accessOf(token('viewer', 'op'), users, directory)!.daemonAdmin).toBe(false);

    // A removed user's tokens reach nothing (the server answers 401).
    users.remove('ann');
    expect(accessOf(token('admin', 'ann'), users, directory)).toBeUndefined();
  });

  it('refuses bad names and duplicates; `polytail user` grants, lists and removes (revoking the user’s tokens)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polytail-users-'));
    const users = UserStore.forDataDir(dir);
    expect(() => users.create('Bad Name', { nowMs: 1 })).toThrow(ConfigError);
    users.create('ann', { nowMs: 1 });
    expect(() => users.create('ann', { nowMs: 1 })).toThrow(/exists already/);
    expect(() => users.grant('nobody', 'solo', 'viewer')).toThrow(/no user "nobody"/);

    const out: string[] = [];
    const write = (l: string) => out.push(l);
    runUser({ action: 'grant', name: 'ann', account: 'solo', role: 'trader', 'data-dir': dir, json: false }, write);
    expect(out.pop()).toBe('ann  solo:trader');
    expect(() => runUser({ action: 'grant', name: 'ann', account: 'solo', role: 'boss', 'data-dir': dir, json: false }, write)).toThrow(
      /--role/,
    );
    runUser({ action: 'grant', name: 'ann', account: 'solo', role: 'none', 'data-dir': dir, json: false }, write);
    expect(out.pop()).toBe('ann  no accounts');
    const tokens = TokenStore.forDataDir(dir);
    const made = await tokens.create('trader', 'ann-phone', 1, 'ann');
    runUser({ action: 'remove', name: 'ann', 'data-dir': dir, json: false }, write);
    expect(out.pop()).toBe('removed ann; revoked 1 token(s)');
    expect(await tokens.verify(made.token)).toBeUndefined();
    expect(users.list()).toEqual([]);
  });
});
