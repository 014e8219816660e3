/**
 * A sandbox in a process of its own, so its matching, HTTP and WebSocket work does not share the
 * measured session's event loop (in one process it delays the session's feeds and its POSTs' replies,
 * and the latency bench would measure the sandbox too). Usage: node --import tsx
 * bench/lib/sandbox-child.ts SCENARIO_JSON. Prints one JSON line with the URLs once listening; then
 * reads commands on stdin, one per line: `stop-flow` (answers `flow-stopped`), `stop` (exits).
 */
import { createInterface } from 'node:readline';
import { startSandbox } from '../../src/sandbox/index.ts';

const sb = await startSandbox({ port: 0, scenario: JSON.parse(process.argv[2]!) as Record<string, unknown> });
process.stdout.write(JSON.stringify({ urls: sb.urls }) + '\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'stop-flow') {
    sb.flow.stop();
    process.stdout.write('flow-stopped\n');
  } else if (line === 'stop') break;
}
await sb.stop();
process.exit(0);
