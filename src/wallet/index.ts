/** The live account: key, funder, signature type and API credentials (secret redaction is in core/redact.ts). */
export { SIGNATURE_TYPE_NAMES, checkFunder, loadAccount } from './live-account.ts';
export type { LiveAccount, SignatureType } from './live-account.ts';
export { credsFilePath, deriveApiCreds, loadApiCreds, readCachedCreds, registerCreds, writeCachedCreds } from './api-creds.ts';
export type { ApiCreds, LoadedCreds } from './api-creds.ts';
export { PRIVATE_KEY_ENV, parsePrivateKey } from './private-key.ts';
