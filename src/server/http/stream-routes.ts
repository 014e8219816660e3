/**
 * The WebSocket streams: one EventHub per account (each subscribed to its account's engine), served
 * at `/api/accounts/<id>/stream` and, for the caller's first account, `/api/stream`. A stream lives
 * only as long as its token reaches its account: revoking the token (here or with `polytail token
 * revoke` in another process), removing its user or withdrawing the grant closes it with 4401 — at
 * once for changes made through this server, within `checkEveryMs` for changes to the files.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { accessOf } from '../auth/access.ts';
import { roleAllows } from '../auth/roles.ts';
import type { TokenStore } from '../auth/token-store.ts';
import type { UserStore } from '../auth/user-store.ts';
import type { AccountResolver } from './account-scope.ts';
import { EventHub } from './event-stream.ts';
import { forbidden } from './route-kit.ts';

export interface StreamRoutesOptions {
  accounts: AccountResolver;
  tokens: TokenStore;
  users: UserStore;
  viewEveryMs?: number;
  checkEveryMs?: number;
}

export class StreamRoutes {
  private readonly hubs = new Map<string, EventHub>();
  private timer?: NodeJS.Timeout;
  private lastStamp = '';

  constructor(private readonly o: StreamRoutesOptions) {
    for (const account of o.accounts.directory.list()) if (account.surface) this.hubOf(account.info.id);
  }

  /** The hub of an account (made, and subscribed to its engine, the first time a running account is asked for). */
  hubOf(accountId: string): EventHub | undefined {
    const existing = this.hubs.get(accountId);
    if (existing) return existing;
    const surface = this.o.accounts.directory.get(accountId)?.surface;
    if (!surface) return undefined;
    const hub = new EventHub(surface, { viewEveryMs: this.o.viewEveryMs });
    surface.subscribe(hub);
    this.hubs.set(accountId, hub);
    return hub;
  }

  get clientCount(): number {
    let n = 0;
    for (const h of this.hubs.values()) n += h.clientCount;
    return n;
  }

  register(app: FastifyInstance): void {
    const check = async (req: FastifyRequest, reply: FastifyReply) => {
      const found = this.o.accounts.resolve(req, req.access!);
      if ('refusal' in found) return reply.code(found.refusal.status).send({ error: found.refusal.error });
      if (!roleAllows(found.role, 'viewer')) return forbidden(reply, 'viewer', found.role);
    };
    const handler = (socket: WebSocket, req: FastifyRequest) => {
      const found = this.o.accounts.resolve(req, req.access!);
      if ('refusal' in found) return socket.close(4404, found.refusal.error);
      const hub = this.hubOf(found.account.info.id);
      if (!hub) return socket.close(4409, 'account not running');
      const p = req.access!.principal;
      hub.attach(socket, { tokenId: p.id, name: p.name, role: found.role, account: found.account.info.id });
    };
    app.get('/api/stream', { websocket: true, preHandler: check }, handler);
    app.get('/api/accounts/:account/stream', { websocket: true, preHandler: check }, handler);
  }

  /** Re-checks every open stream now; returns how many were closed. */
  revalidate(): number {
    let closed = 0;
    for (const [accountId, hub] of this.hubs)
      closed += hub.revalidate((tokenId) => {
        const principal = this.o.tokens.principalById(tokenId);
        const access = principal ? accessOf(principal, this.o.users, this.o.accounts.directory) : undefined;
        const role = access?.roleOn(accountId);
        return role !== undefined && roleAllows(role, 'viewer');
      });
    return closed;
  }

  sendViews(): void {
    for (const hub of this.hubs.values()) hub.sendView();
  }

  /** Watches the token and user files (cheap: a stat each) while streams are open. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.clientCount === 0) return;
      const stamp = `${this.o.tokens.stamp()}|${this.o.users.stamp()}`;
      if (stamp === this.lastStamp) return;
      this.lastStamp = stamp;
      this.revalidate();
    }, this.o.checkEveryMs ?? 250);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const hub of this.hubs.values()) hub.close();
  }
}
