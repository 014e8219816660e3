/**
 * Who changed users, grants and tokens, and when: one JSON line each in `<dataDir>/daemon-audit.jsonl`
 * (mode 0600). Account actions go to that account's recording (control_actions); these belong to no
 * account, and writing them into one would tell its users about the others.
 */
import { appendFileSync, chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DaemonAudit } from '../http/route-kit.ts';

export function daemonAuditPath(dataDir: string): string {
  return join(dataDir, 'daemon-audit.jsonl');
}

export function fileDaemonAudit(path: string): DaemonAudit {
  return (entry) => {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const { actor, ...rest } = entry;
    appendFileSync(
      path,
      JSON.stringify({ ...rest, actor: { id: actor.id, name: actor.name, user: actor.user, role: actor.role } }) + '\n',
      {
        mode: 0o600,
      },
    );
    chmodSync(path, 0o600);
  };
}
