/**
 * Bearer-token check for every request (REST, /metrics and the WebSocket upgrade). A missing, wrong
 * or revoked token gets the same bare 401. Browsers cannot set headers on a WebSocket, so the stream
 * also takes the token as a `bearer.<token>` subprotocol next to `polytail`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/roles.ts';
import type { TokenStore } from '../auth/token-store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * Failed attempts per client address per minute before unknown tokens from it are refused without
 * hashing (scrypt is deliberately slow: a flood of guesses must not eat the CPU). Tokens that were
 * verified before still work, so a user is not locked out by someone else's guessing.
 */
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 120;

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m?.[1];
  }
  const protocols = request.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    const entry = protocols
      .split(',')
      .map((p) => p.trim())
      .find((p) => p.startsWith('bearer.'));
    return entry?.slice('bearer.'.length);
  }
  return undefined;
}

export function unauthorized(reply: FastifyReply): FastifyReply {
  return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
}

export function authHook(tokens: TokenStore, now: () => number = Date.now, maxFailuresPerMinute = DEFAULT_AUTH_FAILURES_PER_MINUTE) {
  const failures = new Map<string, { count: number; sinceMs: number }>();
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const ip = request.ip;
    const f = failures.get(ip);
    const t = now();
    if (f && t - f.sinceMs > 60_000) failures.delete(ip);
    const throttled = (failures.get(ip)?.count ?? 0) >= maxFailuresPerMinute;
    const token = bearerToken(request);
    const principal = throttled ? tokens.verifyKnown(token) : await tokens.verify(token);
    if (!principal) {
      const entry = failures.get(ip) ?? { count: 0, sinceMs: t };
      entry.count++;
      failures.set(ip, entry);
      if (failures.size > 10_000) failures.clear(); // bounded memory under a spray of addresses
      await unauthorized(reply);
      // A refused WebSocket upgrade: the socket is not the HTTP server's any more; end it here, or
      // it lingers and the server never finishes closing.
      if (request.headers.upgrade) request.raw.socket.destroy();
      return;
    }
    request.principal = principal;
  };
}
