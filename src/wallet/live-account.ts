/**
 * The live trading identity: which key signs, which wallet holds the funds (the funder), how orders
 * are signed for it (signature type) and which chain/hosts it talks to. Built from the environment
 * (the key) and the config (everything else); every mismatch is a ConfigError that says what to fix.
 */
import { Wallet, utils } from 'ethers';
import { ConfigError } from '../core/errors.ts';
import { PRIVATE_KEY_ENV, parsePrivateKey } from './private-key.ts';
import { PRODUCTION_HOSTS } from '../polymarket/hosts.ts';

export type SignatureType = 0 | 1 | 2 | 3;

export const SIGNATURE_TYPE_NAMES: Record<SignatureType, string> = {
  0: 'EOA (the key holds the funds)',
  1: 'POLY_PROXY (Magic / email-login proxy wallet)',
  2: 'POLY_GNOSIS_SAFE (browser-wallet Safe)',
  3: 'POLY_1271 (deposit wallet)',
};

export interface LiveAccount {
  /** ethers@5 signer for L1 auth and order signatures. */
  signer: Wallet;
  /** The key's own (EOA) address, checksummed. */
  address: string;
  signatureType: SignatureType;
  /** The wallet that holds the funds and appears as `maker` on orders (= address for type 0). */
  funderAddress: string;
  chainId: number;
  clobHost: string;
  geoblockUrl: string;
  /** Where credentials and the intent journal live (config `dataDir`, default `.polytail`). */
  dataDir: string;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * Loads the live account. The key comes only from POLYTAIL_PRIVATE_KEY; signature type and funder
 * come from `config.live` (POLYTAIL_SIGNATURE_TYPE / POLYTAIL_FUNDER_ADDRESS override them).
 */
/** The config settings the wallet reads (the config file's `live`, `hosts` and `dataDir`). */
export interface WalletSettings {
  live?: { signatureType?: SignatureType; funderAddress?: string; chainId?: number };
  hosts?: { clob?: string; geoblock?: string };
  dataDir: string;
}

export function loadAccount(env: NodeJS.ProcessEnv, config: WalletSettings): LiveAccount {
  const key = parsePrivateKey(env[PRIVATE_KEY_ENV]);
  let signer: Wallet;
  try {
    signer = new Wallet(key);
  } catch {
    throw new ConfigError(
      `${PRIVATE_KEY_ENV} is not a valid secp256k1 private key (it is outside the curve's range); export the key again from your wallet.`,
    );
  }
  const address = signer.address;
  const signatureType = readSignatureType(env, config);
  const funderRaw = env.POLYTAIL_FUNDER_ADDRESS?.trim() || config.live?.funderAddress;
  if (funderRaw !== undefined && !ADDRESS.test(funderRaw)) {
    throw new ConfigError(`POLYTAIL_FUNDER_ADDRESS must be a 0x-prefixed 40-hex-digit wallet address`);
  }
  const funderAddress = checkFunder(signatureType, address, funderRaw);
  const hosts = config.hosts ?? {};
  return {
    signer,
    address,
    signatureType,
    funderAddress,
    chainId: config.live?.chainId ?? 137,
    clobHost: (hosts.clob ?? PRODUCTION_HOSTS.clob).replace(/\/$/, ''),
    geoblockUrl: hosts.geoblock ?? PRODUCTION_HOSTS.geoblock,
    dataDir: config.dataDir,
  };
}

function readSignatureType(env: NodeJS.ProcessEnv, config: WalletSettings): SignatureType {
  const raw = env.POLYTAIL_SIGNATURE_TYPE?.trim();
  if (raw === undefined || raw === '') return config.live?.signatureType ?? 0;
  if (!/^[0-3]$/.test(raw)) {
    throw new ConfigError(
      `POLYTAIL_SIGNATURE_TYPE must be 0, 1, 2 or 3: 0 = ${SIGNATURE_TYPE_NAMES[0]}, 1 = ${SIGNATURE_TYPE_NAMES[1]}, 2 = ${SIGNATURE_TYPE_NAMES[2]}, 3 = ${SIGNATURE_TYPE_NAMES[3]}`,
    );
  }
  return Number(raw) as SignatureType;
}

/** The funder for a signature type, or a ConfigError naming the fix. */
export function checkFunder(type: SignatureType, signerAddress: string, funder: string | undefined): string {
  const same = funder !== undefined && funder.toLowerCase() === signerAddress.toLowerCase();
  if (type === 0) {
    if (funder !== undefined && !same) {
      throw new ConfigError(
        `signature type 0 (EOA) trades from the key's own address ${signerAddress}, but live.funderAddress is ${funder}. ` +
          `Remove live.funderAddress, or set live.signatureType to 1 (email/Magic proxy), 2 (browser-wallet Safe) or 3 (deposit wallet) to trade from ${funder}.`,
      );
    }
    return signerAddress;
  }
  if (funder === undefined) {
    throw new ConfigError(
      `signature type ${type} (${SIGNATURE_TYPE_NAMES[type]}) needs live.funderAddress: the Polymarket wallet that holds your funds ` +
        `(your profile's deposit address on polymarket.com), not the key's address ${signerAddress}.`,
    );
  }
  if (same) {
    throw new ConfigError(
      `live.funderAddress equals the key's own address ${signerAddress}, but signature type ${type} (${SIGNATURE_TYPE_NAMES[type]}) expects the proxy/Safe/deposit wallet there. ` +
        `Use live.signatureType 0 to trade from the key's own address.`,
    );
  }
  return checksum(funder);
}

function checksum(address: string): string {
  return utils.getAddress(address.toLowerCase());
}
