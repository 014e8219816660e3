/**
 * Secrets (the private key, API secret, passphrase, API key) are registered once when loaded; every
 * error message and log line that leaves the account or live-venue code goes through `redact`, so a
 * secret that found its way into an SDK error text never reaches a terminal, a log or a recording.
 */

const secrets = new Set<string>();
const MASK = '[redacted]';

/** Remembers a secret value (and its 0x-less / lower-case forms) so `redact` removes it everywhere. */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 6) return;
  const forms = [value, value.toLowerCase(), value.toUpperCase()];
  if (/^0x/i.test(value)) forms.push(value.slice(2), value.slice(2).toLowerCase());
  for (const f of forms) if (f.length >= 6) secrets.add(f);
}

/** Removes every registered secret from `text`. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join(MASK);
  }
  return out;
}

/** An error's message, redacted; for anything thrown. */
export function redactedMessage(error: unknown): string {
  if (error instanceof Error) return redact(error.message);
  if (typeof error === 'string') return redact(error);
  try {
    return redact(JSON.stringify(error));
  } catch {
    return redact(String(error));
  }
}
