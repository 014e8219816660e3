/**
 * Token check for every request (REST, /metrics and the WebSocket upgrade). A missing, wrong or revoked
 * token gets the same bare 401. Scripts send `Authorization: Bearer <token>`; browsers cannot set
 * headers on a WebSocket, so the stream also takes a `bearer.<token>` subprotocol next to `polytail`;
 * the web console holds the token in an HttpOnly SameSite=Strict cookie (console-session.ts), and a
 * request authenticated by that cookie must come from this origin (the CSRF check below).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Access } from '../auth/access.ts';
import type { Principal } from '../auth/roles.ts';
import type { TokenStore } from '../auth/token-store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    /** What the principal reaches (set right after the token check). */
    access?: Access;
  }
}

/** The web console's session cookie: the token itself, never readable by page scripts. */
export const SESSION_COOKIE = 'polytail_session';

/** What a state-changing console request carries besides the cookie (a cross-site form cannot set it). */
export const CSRF_HEADER = 'x-polytail-console';

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
    if (entry) return entry.slice('bearer.'.length);
  }
  return undefined;
}

export function cookieToken(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return decodeURIComponent(part.slice(eq + 1).trim()) || undefined;
  }
  return undefined;
}

/**
 * Whether a cookie-authenticated request may act: reads (GET/HEAD) always; anything else, and every
 * WebSocket upgrade, only from a page of this origin — the Origin header, when the browser sends one,
 * must name this host, and a state-changing call must carry the console's header, which a cross-site
 * form or image cannot set. (SameSite=Strict already keeps the cookie off cross-site requests; this is
 * the second lock.)
 */
export function sameOriginRequest(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return false;
    }
    if (host !== request.headers.host) return false;
  } else if (origin === 'null') return false;
  if (request.headers.upgrade) return typeof origin === 'string';
  if (request.method === 'GET' || request.method === 'HEAD') return true;
  return request.headers[CSRF_HEADER] === '1';
}

export function unauthorized(reply: FastifyReply): FastifyReply {
  return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
}

/** Token verification with the per-address throttle; shared by the hook and the console's login. */
export class TokenGate {
  private readonly failures = new Map<string, { count: number; sinceMs: number }>();

  constructor(
    private readonly tokens: TokenStore,
    private readonly now: () => number = Date.now,
    private readonly maxFailuresPerMinute = DEFAULT_AUTH_FAILURES_PER_MINUTE,
  ) {}

  async check(token: string | undefined, ip: string): Promise<Principal | undefined> {
    const t = this.now();
    const f = this.failures.get(ip);
    if (f && t - f.sinceMs > 60_000) this.failures.delete(ip);
    const throttled = (this.failures.get(ip)?.count ?? 0) >= this.maxFailuresPerMinute;
    const principal = throttled ? this.tokens.verifyKnown(token) : await this.tokens.verify(token);
    if (principal) return principal;
    const entry = this.failures.get(ip) ?? { count: 0, sinceMs: t };
    entry.count++;
    this.failures.set(ip, entry);
    if (this.failures.size > 10_000) this.failures.clear(); // bounded memory under a spray of addresses
    return undefined;
  }
}

/** `isPublic`: the console's own files and its login, which need no token. */
export function authHook(gate: TokenGate, isPublic: (request: FastifyRequest) => boolean = () => false) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (isPublic(request)) return;
    const bearer = bearerToken(request);
    const cookie = bearer === undefined ? cookieToken(request) : undefined;
    const refuse = async (send: () => FastifyReply) => {
      await send();
      // A refused WebSocket upgrade: the socket is not the HTTP server's any more; end it here, or
      // it lingers and the server never finishes closing.
      if (request.headers.upgrade) request.raw.socket.destroy();
    };
    if (cookie !== undefined && !sameOriginRequest(request))
      return refuse(() =>
        reply.code(403).send({ error: `cross-origin request refused (the console sends ${CSRF_HEADER}: 1 from its own origin)` }),
      );
    const principal = await gate.check(bearer ?? cookie, request.ip);
    if (!principal) return refuse(() => unauthorized(reply));
    request.principal = principal;
  };
}
