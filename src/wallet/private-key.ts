/** Reading the wallet's private key from the environment, with errors that never echo it. */
import { ConfigError } from '../core/errors.ts';
import { registerSecret } from '../core/redact.ts';

export const PRIVATE_KEY_ENV = 'POLYTAIL_PRIVATE_KEY';

/** n of secp256k1: a private key is a number from 1 to n − 1. */
const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * Validates `raw` as a secp256k1 private key (0x + 64 hex digits, or 64 hex digits) and returns it
 * 0x-prefixed. Surrounding whitespace (a stray newline from a .env file) is tolerated. Every error
 * says what is wrong with the value's shape, never the value itself.
 */
export function parsePrivateKey(raw: string | undefined, source = PRIVATE_KEY_ENV): string {
  if (raw === undefined || raw.trim() === '') {
    throw new ConfigError(
      `${source} is not set: export your wallet's private key (0x followed by 64 hex digits) in the environment or .env. polytail never reads keys from the config file.`,
    );
  }
  const value = raw.trim();
  registerSecret(value);
  const body = /^0x/i.test(value) ? value.slice(2) : value;
  if (/^[0-9a-fA-F]{64}$/.test(body)) {
    if (/^0+$/.test(body)) throw new ConfigError(`${source} is all zeros, which is not a usable private key.`);
    if (BigInt(`0x${body}`) >= SECP256K1_ORDER)
      throw new ConfigError(
        `${source} is not a valid private key: it is not below the secp256k1 curve order (FFFF…4141), so no wallet has it. Export the key again from your wallet.`,
      );
    return `0x${body}`;
  }
  throw new ConfigError(
    `${source} is not a private key: ${describeShape(value, body)}. Expected 0x followed by 64 hex digits (or the 64 hex digits alone).`,
  );
}

/** What is wrong with a key-like value, in words that reveal nothing of it. */
function describeShape(value: string, body: string): string {
  if (/^["'].*["']$/.test(value)) return 'it is wrapped in quotes (remove them)';
  if (/^0x[0-9a-fA-F]{40}$/.test(value)) return 'it looks like a wallet address (40 hex digits), not a private key';
  if (/\s/.test(value) && value.split(/\s+/).length >= 12)
    return 'it looks like a seed phrase; export the private key of the account instead';
  if (/\s/.test(value)) return 'it contains whitespace inside the value';
  const nonHex = body.replace(/[0-9a-fA-F]/g, '').length;
  if (nonHex > 0) return `it contains ${nonHex} character(s) that are not hex digits`;
  return `it has ${body.length} hex digits instead of 64`;
}
