/**
 * One-time codes that link a Telegram chat to a daemon user. A user asks for a code in the console
 * (or `POST /api/telegram/link-code`) and sends `/start <code>` to the bot from the chat to link. A
 * code belongs to the user who asked (the chat gets that user's grants, nothing more), works once,
 * and expires after ten minutes; asking again replaces the user's older code. Codes live in memory
 * only: a daemon restart voids them (ask again), and only their sha256 is kept, so a heap dump
 * holds no usable code.
 */
import { createHash, randomInt } from 'node:crypto';

export const LINK_CODE_TTL_MS = 10 * 60_000;
/** Unambiguous letters and digits (no 0/O, 1/I/L): a code is typed by hand on a phone. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;

export type LinkRefusal = 'unknown' | 'expired';

interface Pending {
  user: string;
  expiresMs: number;
}

const hashOf = (code: string) => createHash('sha256').update(code.toUpperCase()).digest('hex');

export class TelegramLinks {
  private readonly pending = new Map<string, Pending>();

  /** A new code for `user` (their older one stops working). */
  create(user: string, nowMs: number): { code: string; expiresMs: number } {
    for (const [hash, p] of this.pending) if (p.user === user || p.expiresMs <= nowMs) this.pending.delete(hash);
    let code = '';
    for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)]; // uniform: no modulo bias
    const expiresMs = nowMs + LINK_CODE_TTL_MS;
    this.pending.set(hashOf(code), { user, expiresMs });
    return { code, expiresMs };
  }

  /** The user the code links to, once: a used, replaced or expired code answers a refusal. */
  consume(code: string, nowMs: number): { user: string } | { refused: LinkRefusal } {
    const hash = hashOf(code.trim());
    const found = this.pending.get(hash);
    if (!found) return { refused: 'unknown' };
    this.pending.delete(hash);
    if (found.expiresMs <= nowMs) return { refused: 'expired' };
    return { user: found.user };
  }
}
