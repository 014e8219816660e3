/**
 * The console's calls to the control API on its own origin. The token is in an HttpOnly cookie the
 * page cannot read; every state-changing call carries `x-polytail-console: 1` (the server's CSRF
 * check). Errors keep the server's own message, which says what to fix.
 */
import type { StreamMessage } from '../server/api/contract.ts';
import type { Role } from '../core/session-surface.ts';

export type { StreamMessage };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface AccountRow {
  id: string;
  label: string;
  kind: 'wallet' | 'pool' | 'sub';
  mode: 'paper' | 'live';
  parent?: string;
  state: string;
  error?: string;
  role: Role;
}

export interface Me {
  token: { id: string; name: string; role: Role };
  user?: string;
  daemonAdmin: boolean;
  accounts: AccountRow[];
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-polytail-console'] = '1';
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!res.ok) {
    const message = (parsed as { error?: string } | undefined)?.error ?? `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, message);
  }
  return parsed as T;
}

/** `/api/accounts/<id><path>`, the account's segment escaped. */
export function accountPath(account: string, path: string): string {
  return `/api/accounts/${encodeURIComponent(account)}${path}`;
}

export const login = (token: string) => api<{ name: string; user?: string; role: Role }>('POST', '/api/session', { token });
export const logout = () => api<unknown>('POST', '/api/session/logout');
export const me = () => api<Me>('GET', '/api/me');

/**
 * The account's live stream (the cookie authenticates the upgrade). Reconnects after a drop unless the
 * server closed it for access (4401: token revoked, 4404: no such account for this token).
 */
export class Stream {
  private socket?: WebSocket;
  private closed = false;
  private retryMs = 1000;

  constructor(
    private readonly account: string,
    private readonly onMessage: (m: StreamMessage) => void,
    private readonly onState: (state: 'open' | 'closed' | 'refused', detail?: string) => void,
  ) {
    this.connect();
  }

  private connect(): void {
    if (this.closed) return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${accountPath(this.account, '/stream')}`;
    const socket = new WebSocket(url, ['polytail']);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 1000;
      this.onState('open');
    };
    socket.onmessage = (e) => {
      try {
        this.onMessage(JSON.parse(String(e.data)) as StreamMessage);
      } catch {
        // a frame that is not JSON: ignore it, the next view corrects the page
      }
    };
    socket.onclose = (e) => {
      if (this.socket !== socket) return;
      if (e.code === 4401 || e.code === 4404 || e.code === 4403) {
        this.onState('refused', e.reason || `closed (${e.code})`);
        return;
      }
      this.onState('closed', e.reason);
      if (!this.closed) setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 15_000);
    };
  }

  close(): void {
    this.closed = true;
    this.socket?.close(1000, 'page left');
  }
}
