/** doctor --sandbox in-process: it cleans up after itself, and refuses keys no wallet can have. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDoctorCommand } from '../../../src/cli/commands/doctor.ts';

const SANDBOX_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

describe('polytail doctor --sandbox (in-process sandbox)', () => {
  it('removes the temp folder it cached the throwaway credentials in', async () => {
    const r = await runDoctorCommand({ sandbox: '' }, { POLYTAIL_PRIVATE_KEY: SANDBOX_KEY });
    expect(r.exitCode).toBe(0);
    const folder = /(\S*polytail-doctor-[^/\s]+)/.exec(r.output)?.[1];
    expect(folder, r.output).toBeDefined();
    expect(existsSync(folder!)).toBe(false);
  }, 60_000);

  it.each([
    ['the curve order itself', '0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'],
    ['above the curve order', '0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'],
  ])(
    'rejects a private key at or above the secp256k1 order (%s), without echoing it',
    async (_, key) => {
      const r = await runDoctorCommand({ sandbox: '' }, { POLYTAIL_PRIVATE_KEY: key });
      const failed = r.result.checks.filter((c) => !c.ok);
      expect(failed[0]?.name).toBe('private key');
      expect(r.output).toMatch(/curve order/);
      expect(r.output).not.toContain(key.slice(2, 30));
      expect(r.exitCode).toBe(2);
    },
    60_000,
  );
});
