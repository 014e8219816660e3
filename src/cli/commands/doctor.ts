/**
 * `polytail doctor`: is this machine ready to trade live? Checks config, key, signature type and
 * funder, geoblock, CLOB reachability and clock, API credentials, balance and allowances.
 * `--sandbox` runs the same checks against a local sandbox (a URL, or one started in-process), and
 * `--sandbox-fault` shows what each failure looks like.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { formatDoctor, runDoctor, type DoctorResult } from '../../modes/doctor.ts';
import { PRIVATE_KEY_ENV } from '../../wallet/private-key.ts';
import { promptHidden } from '../hidden-prompt.ts';
import { keystorePath } from '../../wallet/keystore.ts';
import { loadConfig } from '../../config/config.ts';
import { type Sandbox, startSandbox } from '../../sandbox/index.ts';
import { SANDBOX_TEST_PRIVATE_KEY } from '../../sandbox/test-key.ts';
import { DEFAULT_SCENARIO } from './sandbox.ts';

/** Failures `--sandbox-fault` can demonstrate: sandbox faults, plus local misconfigurations. */
export const DOCTOR_FAULTS: Record<string, { sandbox?: unknown; env?: Record<string, string> }> = {
  geoblock: { sandbox: { kind: 'geoblock', blocked: true, country: 'US', region: 'NY' } },
  'clock-skew': { sandbox: { kind: 'clock-skew', ms: 45_000 } },
  'bad-credentials': { sandbox: { kind: 'bad-credentials' } },
  'zero-balance': { sandbox: { kind: 'zero-balance' } },
  'clob-down': { sandbox: { kind: 'http', path: '/time', status: 503 } },
  'bad-key': { env: { [PRIVATE_KEY_ENV]: '0x1234-not-a-key' } },
  'funder-mismatch': { env: { POLYTAIL_SIGNATURE_TYPE: '2' } },
};

export interface DoctorArgs {
  config?: string;
  sandbox?: string;
  sandboxFault?: string[];
}

function hasKeystore(dataDir: string | undefined, configPath: string | undefined, env: NodeJS.ProcessEnv): boolean {
  try {
    return existsSync(keystorePath(dataDir ?? loadConfig(configPath, env).dataDir));
  } catch {
    return false; // a broken config is reported by the config check
  }
}

/** Runs doctor as the command does; returns the exit code and the printed text. */
export async function runDoctorCommand(
  args: DoctorArgs,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ exitCode: number; output: string; result: DoctorResult }> {
  const faults = args.sandboxFault ?? [];
  for (const f of faults) {
    if (!DOCTOR_FAULTS[f])
      return {
        exitCode: 2,
        output: `polytail doctor: unknown --sandbox-fault "${f}"; pick one of ${Object.keys(DOCTOR_FAULTS).join(', ')}`,
        result: { checks: [], exitCode: 2 },
      };
  }
  if (faults.length > 0 && args.sandbox === undefined) {
    return {
      exitCode: 2,
      output: 'polytail doctor: --sandbox-fault needs --sandbox (a sandbox URL, or no value to start one)',
      result: { checks: [], exitCode: 2 },
    };
  }
  let sb: Sandbox | undefined;
  let runEnv = { ...env };
  let hosts: { clob: string; geoblock: string } | undefined;
  let dataDir: string | undefined;
  let header = '';
  let keySource: string | undefined;
  try {
    if (args.sandbox !== undefined) {
      let base = args.sandbox.replace(/\/$/, '');
      if (base === '') {
        sb = await startSandbox({ port: 0, scenario: DEFAULT_SCENARIO, synthetic: false });
        base = sb.urls.clob;
        // A throwaway sandbox gets throwaway credentials.
        dataDir = mkdtempSync(join(tmpdir(), 'polytail-doctor-'));
      }
      hosts = { clob: base, geoblock: `${base}/api/geoblock` };
      // The test key stands in only when there is no key at all (neither in the environment nor a keystore).
      if (!runEnv[PRIVATE_KEY_ENV] && !hasKeystore(dataDir, args.config, env)) {
        runEnv[PRIVATE_KEY_ENV] = SANDBOX_TEST_PRIVATE_KEY;
        keySource = 'the sandbox test key (no key set)';
      }
      for (const f of faults) {
        const spec = DOCTOR_FAULTS[f]!;
        if (spec.env) runEnv = { ...runEnv, ...spec.env };
        if (spec.sandbox) {
          const res = await fetch(`${base}/_sandbox/faults`, {
            method: 'POST',
            body: JSON.stringify(spec.sandbox),
            headers: { 'content-type': 'application/json' },
          });
          if (!res.ok) throw new Error(`the sandbox at ${base} refused fault ${f}: HTTP ${res.status}`);
        }
      }
      header = `checking against the sandbox at ${base}${faults.length ? ` with fault ${faults.join(', ')}` : ''}\n`;
    }
    const result = await runDoctor({
      configPath: args.config,
      env: runEnv,
      hosts,
      dataDir,
      keySource,
      sandboxUrl: hosts?.clob,
      prompt: process.stdin.isTTY ? promptHidden : undefined,
    });
    const verdict =
      result.exitCode === 0
        ? 'ready to trade live'
        : result.exitCode === 2
          ? 'fix the configuration first'
          : 'not ready: fix the ✗ lines above';
    return { exitCode: result.exitCode, output: `${header}${formatDoctor(result.checks)}\n\n${verdict}`, result };
  } finally {
    await sb?.stop();
    // The throwaway sandbox's credentials go with it.
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe: 'check that live trading will work: key, funder, geoblock, CLOB, clock, API credentials, balance, allowances',
  builder: (y) =>
    y
      .option('config', { type: 'string', describe: 'config file (JSON)' })
      .option('sandbox', { type: 'string', describe: 'check against a sandbox: its URL, or no value to start one in-process' })
      .option('sandbox-fault', {
        type: 'array',
        string: true,
        describe: `with --sandbox: emulate a failure (${Object.keys(DOCTOR_FAULTS).join(', ')})`,
      })
      .example('$0 doctor', 'check the live setup from POLYTAIL_PRIVATE_KEY and the config')
      .example('$0 doctor --sandbox --sandbox-fault geoblock', 'see what a geoblocked setup reports') as never,
  handler: async (args) => {
    const { exitCode, output } = await runDoctorCommand(args);
    process.stdout.write(`${output}\n`);
    process.exitCode = exitCode;
  },
};
