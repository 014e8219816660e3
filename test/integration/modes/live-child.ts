/**
 * A `polytail live --sandbox` stand-in for the kill -9 test: the same session, logging JSON lines,
 * without loading the CLI (every command, the TUI), so each restart takes seconds less.
 * Usage: node --import tsx live-child.ts SANDBOX_URL WALLET DATA_DIR [RUN_SECONDS]
 * (with POLYTAIL_CHILD_WAIT=1 it loads, then waits for a line on stdin before starting the session)
 */
import { parseConfig } from '../../../src/config/config.ts';
import { startLiveSession } from '../../../src/modes/live-session.ts';
import { SessionLog } from '../../../src/live/session-log.ts';

const [url, wallet, dataDir, runSeconds] = process.argv.slice(2) as [string, string, string, string | undefined];
// Pre-spawned by the test: modules load while the previous process still runs; start on a line on stdin.
if (process.env.POLYTAIL_CHILD_WAIT === '1') await new Promise((resolve) => process.stdin.once('data', resolve));
const log = new SessionLog({ json: true, write: (line) => process.stdout.write(line + '\n') });
const session = await startLiveSession({
  mode: 'live',
  config: parseConfig({ dataDir, targets: [{ wallet }] }),
  overrides: { multiplier: 0.25 },
  sandboxUrl: url,
  listeners: [log],
  log: log.feedLog,
  pollIntervalMs: 1000,
  env: {},
});
if (runSeconds !== undefined) {
  await new Promise((r) => setTimeout(r, Number(runSeconds) * 1000));
  // Decide everything the Data API holds by now (the test stopped the target's flow before this run).
  await session.drain();
  await session.venue.clob?.idle();
  await session.stop();
  process.exit(0);
}
