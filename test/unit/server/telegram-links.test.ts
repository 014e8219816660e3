/** One-time Telegram link codes: the asking user's only, once, for ten minutes; a newer code voids the older. */
import { describe, expect, it } from 'vitest';
import { LINK_CODE_TTL_MS, TelegramLinks } from '../../../src/server/telegram/telegram-links.ts';

describe('Telegram link codes', () => {
  it('link to the user who asked, once', () => {
    const links = new TelegramLinks();
    const a = links.create('alice', 0);
    const b = links.create('bob', 0);
    expect(a.code).not.toBe(b.code);
    expect(links.consume(b.code, 1)).toEqual({ user: 'bob' });
    expect(links.consume(a.code.toLowerCase(), 1)).toEqual({ user: 'alice' }); // typed on a phone
    expect(links.consume(a.code, 2)).toEqual({ refused: 'unknown' });
    expect(links.consume('NOT-A-CODE', 2)).toEqual({ refused: 'unknown' });
  });

  it('expire, and a newer code replaces the older', () => {
    const links = new TelegramLinks();
    const old = links.create('alice', 0);
    const fresh = links.create('alice', 10);
    expect(links.consume(old.code, 20)).toEqual({ refused: 'unknown' });
    expect(fresh.expiresMs).toBe(10 + LINK_CODE_TTL_MS);
    expect(links.consume(fresh.code, fresh.expiresMs)).toEqual({ refused: 'expired' });
  });
});
