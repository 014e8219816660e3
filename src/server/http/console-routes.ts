/**
 * The web console, served by the daemon on the API's own origin: one HTML page, one script bundled
 * from src/console (TypeScript, by esbuild, the first time it is asked for) and one stylesheet —
 * nothing from elsewhere, so it works offline. Login trades a token for an HttpOnly SameSite=Strict
 * cookie (the token never sits in a URL or in page storage); every page goes out with a strict
 * Content-Security-Policy: scripts and styles from this origin only, no inline code, no framing.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CSRF_HEADER, SESSION_COOKIE, sameOriginRequest, unauthorized, type TokenGate } from './auth-hook.ts';

const CONSOLE_DIR = new URL('../../console/', import.meta.url);

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const loginBody = z.object({ token: z.string().min(1).max(400) }).strict();

/** The console's files and its login/logout: they answer without a token. */
export function isConsolePublic(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0]!;
  if (request.method === 'GET' || request.method === 'HEAD') return path === '/' || path === '/console' || path.startsWith('/console/');
  return request.method === 'POST' && (path === '/api/session' || path === '/api/session/logout');
}

/** The console's script: src/console bundled into one ES module (esbuild), built once per process. */
let bundle: Promise<string> | undefined;
export function consoleBundle(): Promise<string> {
  bundle ??= import('esbuild')
    .then((esbuild) =>
      esbuild.build({
        entryPoints: [fileURLToPath(new URL('main.ts', CONSOLE_DIR))],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
        legalComments: 'none',
        logLevel: 'silent',
      }),
    )
    .then((out) => out.outputFiles[0]!.text)
    .catch((error: unknown) => {
      bundle = undefined; // a later request tries again
      throw error;
    });
  return bundle;
}

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-store');
}

export function registerConsoleRoutes(app: FastifyInstance, o: { gate: TokenGate; tls: boolean }): void {
  const file = (name: string) => readFileSync(new URL(name, CONSOLE_DIR), 'utf8');
  app.get('/', (_req, reply) => secure(reply).redirect('/console/'));
  app.get('/console', (_req, reply) => secure(reply).redirect('/console/'));
  app.get('/console/', (_req, reply) => secure(reply).type('text/html; charset=utf-8').send(file('index.html')));
  app.get('/console/console.css', (_req, reply) => secure(reply).type('text/css; charset=utf-8').send(file('console.css')));
  app.get('/console/app.js', async (_req, reply) =>
    secure(reply)
      .type('text/javascript; charset=utf-8')
      .send(await consoleBundle()),
  );
  app.get('/console/*', (_req, reply) => secure(reply).code(404).send({ error: 'not found' }));

  const cookie = (value: string, extra: string) =>
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict${o.tls ? '; Secure' : ''}${extra}`;
  app.post('/api/session', async (req, reply) => {
    if (!sameOriginRequest(req) || req.headers[CSRF_HEADER] !== '1')
      return reply.code(403).send({ error: `log in from the console (it sends ${CSRF_HEADER}: 1 from its own origin)` });
    const body = loginBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: 'body: { "token": "<your token>" }' });
    const principal = await o.gate.check(body.data.token, req.ip);
    if (!principal) return unauthorized(reply);
    return reply
      .header('set-cookie', cookie(encodeURIComponent(body.data.token), ''))
      .send({ name: principal.name, user: principal.user, role: principal.role });
  });
  app.post('/api/session/logout', async (_req, reply) => reply.header('set-cookie', cookie('', '; Max-Age=0')).send({ ok: true }));
}
