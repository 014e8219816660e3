/**
 * Where the control server may listen. Loopback is the default and needs nothing; any other
 * address exposes the controls of a session that moves money, so it needs an explicit flag AND TLS.
 */
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { ConfigError } from '../core/errors.ts';

export interface BindRequest {
  host: string;
  allowRemote?: boolean;
  tlsCert?: string;
  tlsKey?: string;
}

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Throws a ConfigError saying what is missing; returns whether TLS is on. */
export function checkBind(b: BindRequest): { tls: boolean } {
  const tls = Boolean(b.tlsCert || b.tlsKey);
  if (tls) {
    if (!b.tlsCert || !b.tlsKey) throw new ConfigError('TLS needs both --tls-cert and --tls-key (PEM files)');
    for (const [flag, path] of [
      ['--tls-cert', b.tlsCert],
      ['--tls-key', b.tlsKey],
    ] as const)
      if (!existsSync(path)) throw new ConfigError(`${flag} ${path}: no such file`);
  }
  if (isLoopbackHost(b.host)) return { tls };
  if (!b.allowRemote)
    throw new ConfigError(
      `refusing to listen on ${b.host}: the control API can kill and trade a session, so anything but loopback (127.0.0.1) needs --allow-remote together with --tls-cert and --tls-key. To reach a session over SSH, keep the default and use an SSH tunnel (see docs/operate.md).`,
    );
  if (!tls)
    throw new ConfigError(
      `refusing to listen on ${b.host} without TLS: bearer tokens would cross the network in clear text. Give --tls-cert and --tls-key (PEM files), or keep the default 127.0.0.1 and use an SSH tunnel.`,
    );
  return { tls };
}
