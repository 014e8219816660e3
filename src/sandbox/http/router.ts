/** A tiny router over node:http: exact paths with `:param` segments, JSON/text replies, fault hooks. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultState } from '../faults.ts';

export interface Req {
  method: string;
  /** Path without the service prefix and without the query string (what the HMAC signs). */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  params: Record<string, string>;
  service: Service;
}

export type Reply = { status: number; body: unknown; headers?: Record<string, string>; text?: boolean } | { hang: true } | { reset: true };

export type Handler = (req: Req) => Reply | Promise<Reply>;
export type Service = 'clob' | 'data' | 'gamma' | 'admin' | 'web' | 'relayer';

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, body, headers });
export const text = (status: number, body: string, headers?: Record<string, string>): Reply => ({ status, body, headers, text: true });
export const error = (status: number, message: string): Reply => json(status, { error: message });

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | undefined {
    const segs = path.split('/').filter(Boolean);
    for (const r of this.routes) {
      if (r.method !== method || r.parts.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length; i++) {
        const p = r.parts[i]!;
        if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(segs[i]!);
        else if (p !== segs[i]) {
          ok = false;
          break;
        }
      }
      if (ok) return { handler: r.handler, params };
    }
    return undefined;
  }
}

/** Service prefixes: one port serves every fake host. */
export const PREFIX: Record<Exclude<Service, 'clob'>, string> = {
  data: '/data-api',
  gamma: '/gamma-api',
  admin: '/_sandbox',
  web: '/api',
  relayer: '/relayer',
};

function serviceOf(path: string): { service: Service; rest: string } {
  for (const [service, prefix] of Object.entries(PREFIX) as [Exclude<Service, 'clob'>, string][]) {
    if (path === prefix || path.startsWith(prefix + '/')) {
      return { service, rest: service === 'web' || service === 'admin' ? path : path.slice(prefix.length) || '/' };
    }
  }
  return { service: 'clob', rest: path };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds the node:http request listener. `hung` collects responses that a fault keeps open. */
export function createListener(routers: Record<Service, Router>, faults: FaultState, hung: Set<ServerResponse>) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = (req.method ?? 'GET').toUpperCase();
      const { service, rest } = serviceOf(url.pathname);
      const rawBody = await readBody(req);
      if (service !== 'admin') {
        const slow = faults.slowFault(method, rest, service);
        if (slow) await sleep(slow.delayMs);
        const f = faults.httpFault(method, rest, service);
        if (f) {
          const headers: Record<string, string> = {};
          if (f.retryAfterSec !== undefined) headers['Retry-After'] = String(f.retryAfterSec);
          if (f.body === undefined) return send(res, defaultFaultReply(f.status, headers));
          return send(res, typeof f.body === 'string' ? text(f.status, f.body, headers) : json(f.status, f.body, headers));
        }
      }
      const hit = routers[service].match(method, rest);
      if (!hit) return send(res, service === 'clob' ? error(404, 'not found') : error(404, 'not found'));
      const reply = await hit.handler({
        method,
        path: rest,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        params: hit.params,
        service,
      });
      if ('hang' in reply) {
        hung.add(res);
        res.on('close', () => hung.delete(res));
        return;
      }
      if ('reset' in reply) {
        req.socket.destroy();
        return;
      }
      send(res, reply);
    } catch (err) {
      send(res, error(500, `sandbox error: ${(err as Error).message}`));
    }
  };
}

function defaultFaultReply(status: number, headers: Record<string, string>): Reply {
  if (status === 429) return text(429, 'Too Many Requests', headers);
  if (status === 425) return { status: 425, body: '', headers, text: true };
  return json(status, { error: status >= 500 ? 'could not insert order' : 'fault injected' }, headers);
}

function send(res: ServerResponse, reply: Reply): void {
  if (!('status' in reply) || res.headersSent) return;
  const body = reply.text ? String(reply.body) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'Content-Type': reply.text ? 'text/plain; charset=utf-8' : 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...reply.headers,
  });
  res.end(body);
}
