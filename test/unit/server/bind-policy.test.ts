import { describe, expect, it } from 'vitest';
import { checkBind, isLoopbackHost } from '../../../src/server/bind-policy.ts';

describe('where the control server may listen', () => {
  it('loopback needs nothing', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1']) expect(isLoopbackHost(host)).toBe(true);
    expect(checkBind({ host: '127.0.0.1' })).toEqual({ tls: false });
  });
  it('anything else needs --allow-remote and TLS, and says so', () => {
    expect(() => checkBind({ host: '0.0.0.0' })).toThrow(/needs --allow-remote together with --tls-cert and --tls-key/);
    expect(() => checkBind({ host: '192.0.2.1', allowRemote: true })).toThrow(
      /without TLS: bearer tokens would cross the network in clear text/,
    );
    expect(() => checkBind({ host: '0.0.0.0', allowRemote: true, tlsCert: '/nope.pem' })).toThrow(/both --tls-cert and --tls-key/);
    expect(() => checkBind({ host: '0.0.0.0', allowRemote: true, tlsCert: '/nope.pem', tlsKey: '/nope.key' })).toThrow(
      /--tls-cert \/nope.pem: no such file/,
    );
  });
});
