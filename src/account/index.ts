/** The live account: key, funder, signature type, API credentials and secret redaction. */
export { DEFAULT_HOSTS, SIGNATURE_TYPE_NAMES, checkFunder, loadAccount } from './account.ts';
export type { LiveAccount, SignatureType } from './account.ts';
export { credsFilePath, deriveApiCreds, loadApiCreds, readCachedCreds, registerCreds, withTimeout, writeCachedCreds } from './api-creds.ts';
export type { ApiCreds, LoadedCreds } from './api-creds.ts';
export { PRIVATE_KEY_ENV, parsePrivateKey } from './private-key.ts';
export { redact, redactedMessage, registerSecret } from './redact.ts';
