/** Wallet balances and API keys of the sandbox exchange. */
import { createHmac } from 'node:crypto';
import type { Account, ApiCreds } from './types.ts';

const PSEUDO_A = ['Gregarious', 'Idle', 'Warlike', 'Aggravating', 'Quiet', 'Brisk', 'Lucky', 'Somber'];
const PSEUDO_B = ['Thirst', 'Paint', 'Notepad', 'Grin', 'Harbor', 'Lantern', 'Meadow', 'Circuit'];

export class AccountBook {
  private readonly accounts = new Map<string, Account>();
  private readonly credsByKey = new Map<string, ApiCreds>();
  private readonly credsByOwner = new Map<string, ApiCreds>(); // `${address}:${nonce}`
  /** Signer EOA → funder (proxy/Safe) holding the money for signatureType 1/2. */
  readonly funders = new Map<string, string>();

  constructor(private readonly keySeed: string) {}

  get(address: string): Account {
    const a = address.toLowerCase();
    let acct = this.accounts.get(a);
    if (!acct) {
      const h = parseInt(a.slice(2, 10), 16) || 0;
      acct = {
        address: a,
        usdcMicros: 0,
        tokens: new Map(),
        name: '',
        pseudonym: `${PSEUDO_A[h % PSEUDO_A.length]}-${PSEUDO_B[(h >>> 8) % PSEUDO_B.length]}`,
        unlimited: false,
      };
      this.accounts.set(a, acct);
    }
    return acct;
  }

  has(address: string): boolean {
    return this.accounts.has(address.toLowerCase());
  }

  all(): Account[] {
    return [...this.accounts.values()];
  }

  tokenBalance(address: string, tokenId: string): number {
    return this.get(address).tokens.get(tokenId) ?? 0;
  }

  addTokens(address: string, tokenId: string, deltaMicros: number): void {
    const acct = this.get(address);
    acct.tokens.set(tokenId, (acct.tokens.get(tokenId) ?? 0) + deltaMicros);
  }

  /** Deterministic creds per (address, nonce), like the real CLOB. */
  credsFor(address: string, nonce: string): ApiCreds {
    const a = address.toLowerCase();
    const h = createHmac('sha256', this.keySeed).update(`${a}:${nonce}`).digest();
    const hex = h.toString('hex');
    const key = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    const secret = createHmac('sha256', this.keySeed).update(`secret:${a}:${nonce}`).digest('base64url') + '=';
    const passphrase = createHmac('sha256', this.keySeed).update(`pass:${a}:${nonce}`).digest('hex').slice(0, 32);
    return { key, secret, passphrase, address: a, nonce };
  }

  /** Creates the key for (address, nonce); undefined when it already exists (real: "Could not create api key"). */
  createKey(address: string, nonce: string): ApiCreds | undefined {
    const id = `${address.toLowerCase()}:${nonce}`;
    if (this.credsByOwner.has(id)) return undefined;
    const creds = this.credsFor(address, nonce);
    this.credsByOwner.set(id, creds);
    this.credsByKey.set(creds.key, creds);
    return creds;
  }

  deriveKey(address: string, nonce: string): ApiCreds | undefined {
    return this.credsByOwner.get(`${address.toLowerCase()}:${nonce}`);
  }

  byKey(key: string): ApiCreds | undefined {
    return this.credsByKey.get(key);
  }

  keysOf(address: string): ApiCreds[] {
    return [...this.credsByKey.values()].filter((c) => c.address === address.toLowerCase());
  }

  deleteKey(key: string): void {
    const c = this.credsByKey.get(key);
    if (!c) return;
    this.credsByKey.delete(key);
    this.credsByOwner.delete(`${c.address}:${c.nonce}`);
  }

  /** Address whose balances back orders signed by `signer`. */
  funderOf(signer: string): string {
    const s = signer.toLowerCase();
    return this.funders.get(s) ?? s;
  }
}
