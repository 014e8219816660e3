/**
 * `polytail live --sandbox --json --cancel-on-exit` run through the CLI's own session runner, in which
 * an error nobody handles is thrown once the session is up (a stand-in for a bug or a full disk): the
 * session must say it failed, store its summary, cancel as asked and exit non-zero.
 * Usage: node --import tsx test/integration/modes/failing-child.ts SANDBOX_URL WALLET DATA_DIR
 */
import { runSession } from '../../../src/cli/session-run.ts';
import { parseConfig } from '../../../src/config/config.ts';

const [url, wallet, dataDir] = process.argv.slice(2) as [string, string, string];
const write = process.stdout.write.bind(process.stdout);
let thrown = false;
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  const ok = write(chunk, ...rest);
  if (!thrown && /live session run-/.test(String(chunk))) {
    thrown = true;
    setTimeout(() => {
      throw new Error('the disk is full (injected)');
    }, 200);
  }
  return ok;
}) as typeof process.stdout.write;

const code = await runSession({
  mode: 'live',
  config: parseConfig({ dataDir, targets: [{ wallet }] }),
  sandboxUrl: url,
  env: {},
  tui: false,
  json: true,
  cancelOnExit: true,
  session: { pollIntervalMs: 1000, syncIntervalMs: 0 },
});
process.exit(code);
