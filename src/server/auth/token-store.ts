/**
 * API tokens: `polytail token create` prints a token once; only its scrypt hash is kept, in
 * `<dataDir>/tokens.json` (mode 0600). A token reads `ptk_<id>_<secret>`: the id (public, also what
 * the audit log names) finds the entry, the secret is checked by hashing it and comparing in
 * constant time. Revoking marks the entry; a running server sees the change at its next request.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.ts';
import { fileStamp, readPrivateJson, writePrivateJson } from './private-json-file.ts';
import { ROLES, type Principal, type Role } from './roles.ts';

const SCRYPT: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_BYTES = 32;
const TOKEN_RE = /^ptk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

const entrySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdMs: z.number(),
  salt: z.string(),
  hash: z.string(),
  revokedMs: z.number().optional(),
  /** The user it belongs to (users.json); absent for an operator token. */
  user: z.string().optional(),
});
const fileSchema = z.object({ version: z.literal(1), tokens: z.array(entrySchema) });

export type TokenEntry = z.infer<typeof entrySchema>;
/** What `token list` shows: never the hash. */
export type TokenInfo = Omit<TokenEntry, 'salt' | 'hash'>;

export function tokensFilePath(dataDir: string): string {
  return join(dataDir, 'tokens.json');
}

function scrypt(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(secret, salt, KEY_BYTES, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))));
}

export class TokenStore {
  private entries: TokenEntry[] = [];
  private loadedStamp = '';
  /** sha256 of tokens already verified → the entry id, so scrypt runs once per token per file version. */
  private verified = new Map<string, string>();

  constructor(readonly path: string) {}

  static forDataDir(dataDir: string): TokenStore {
    return new TokenStore(tokensFilePath(dataDir));
  }

  /** Creates a token; returns the only copy of its secret form. */
  async create(role: Role, name: string, nowMs: number, user?: string): Promise<{ token: string; info: TokenInfo }> {
    this.reload();
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const salt = randomBytes(16);
    const hash = await scrypt(secret, salt);
    const entry: TokenEntry = {
      id,
      name,
      role,
      createdMs: nowMs,
      salt: salt.toString('hex'),
      hash: hash.toString('hex'),
      ...(user !== undefined ? { user } : {}),
    };
    this.entries = [...this.entries, entry];
    this.save();
    return { token: `ptk_${id}_${secret}`, info: infoOf(entry) };
  }

  list(): TokenInfo[] {
    this.reload();
    return this.entries.map(infoOf);
  }

  /** Revokes by id (or a unique name). Returns the revoked entry. */
  revoke(idOrName: string, nowMs: number): TokenInfo {
    this.reload();
    const matches = this.entries.filter((e) => e.id === idOrName || e.name === idOrName);
    if (matches.length === 0) throw new ConfigError(`no token with id or name "${idOrName}" (polytail token list shows them)`);
    if (matches.length > 1) throw new ConfigError(`"${idOrName}" names ${matches.length} tokens: revoke by id instead`);
    const target = matches[0]!;
    this.entries = this.entries.map((e) => (e === target ? { ...e, revokedMs: e.revokedMs ?? nowMs } : e));
    this.save();
    return infoOf(this.entries.find((e) => e.id === target.id)!);
  }

  /** The principal a bearer token stands for, or undefined for a missing, malformed, wrong or revoked one. */
  async verify(token: string | undefined): Promise<Principal | undefined> {
    if (!token) return undefined;
    this.reload();
    const digest = createHash('sha256').update(token).digest('hex');
    const cachedId = this.verified.get(digest);
    if (cachedId !== undefined) return this.principalOf(cachedId);
    const m = TOKEN_RE.exec(token);
    const entry = m ? this.entries.find((e) => e.id === m[1]) : undefined;
    // Hash even when nothing matches, so a wrong id costs the same as a wrong secret.
    const salt = entry ? Buffer.from(entry.salt, 'hex') : Buffer.alloc(16);
    const computed = await scrypt(m?.[2] ?? token, salt);
    const expected = entry ? Buffer.from(entry.hash, 'hex') : Buffer.alloc(KEY_BYTES, 0xff);
    const ok = expected.length === computed.length && timingSafeEqual(expected, computed) && entry !== undefined;
    if (!ok || !entry) return undefined;
    this.verified.set(digest, entry.id);
    return this.principalOf(entry.id);
  }

  /** Like verify, but only for tokens verified before (no hashing): what a throttled address still gets. */
  verifyKnown(token: string | undefined): Principal | undefined {
    if (!token) return undefined;
    this.reload();
    const id = this.verified.get(createHash('sha256').update(token).digest('hex'));
    return id === undefined ? undefined : this.principalOf(id);
  }

  private principalOf(id: string): Principal | undefined {
    const e = this.entries.find((x) => x.id === id);
    if (!e || e.revokedMs !== undefined) return undefined;
    return { id: e.id, name: e.name, role: e.role, via: 'api', ...(e.user !== undefined ? { user: e.user } : {}) };
  }

  /** The principal of a token id, if it is still valid (open streams re-check theirs after a revocation). */
  principalById(id: string): Principal | undefined {
    this.reload();
    return this.principalOf(id);
  }

  /** Changes when the file does (a token created or revoked by any process). */
  stamp(): string {
    this.reload();
    return this.loadedStamp;
  }

  /** Re-reads the file when it changed on disk (another process created or revoked a token). */
  private reload(): void {
    const stamp = fileStamp(this.path);
    if (stamp === this.loadedStamp) return;
    const fix = 'fix or remove it and create tokens again';
    this.entries = stamp === 'none' ? [] : readPrivateJson(this.path, fileSchema, 'token file', fix).tokens;
    this.loadedStamp = stamp;
    this.verified.clear();
  }

  private save(): void {
    writePrivateJson(this.path, { version: 1, tokens: this.entries });
    this.loadedStamp = '';
    this.reload();
  }
}

function infoOf(e: TokenEntry): TokenInfo {
  return {
    id: e.id,
    name: e.name,
    role: e.role,
    createdMs: e.createdMs,
    ...(e.revokedMs !== undefined ? { revokedMs: e.revokedMs } : {}),
    ...(e.user !== undefined ? { user: e.user } : {}),
  };
}
