/**
 * The sandbox relayer's builder credentials: public values that mean something only to the sandbox (like
 * its test key). `polytail` uses them against a loopback sandbox when no POLYTAIL_BUILDER_* is set.
 */
export const SANDBOX_BUILDER_CREDS = {
  key: '019a0000-5a5d-4b0c-8000-5a4db0c5b11d',
  // base64, as Polymarket issues builder secrets (the HMAC key is its decoded bytes)
  secret: 'c2FuZGJveC1idWlsZGVyLXNlY3JldC1ub3QtYS1yZWFsLW9uZQ==',
  passphrase: 'sandbox-builder-passphrase',
} as const;
