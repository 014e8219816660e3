/**
 * Kills during a redeem, for `npm run chaos -- --chain`: while the session's auto-redeem is paused, a
 * `polytail redeem --all --yes` process on the same data folder (its journal, lock and wallet) is
 * SIGKILLed at chosen moments of its redeems, a fresh one each round:
 *   signed     20 ms after a redeem transaction it signed is journalled (it is broadcast right after)
 *   intent     as soon as it journals a new redeem intent (before or while it signs and sends)
 * How far that redeem had got when the process died is read from the journal and the node (`sent, no
 * receipt` is the kill between send and receipt). The session's auto-redeem, started again afterwards,
 * finishes them.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type RedeemKillMoment = 'signed' | 'intent';

export interface RedeemKill {
  moment: RedeemKillMoment;
  /** The last redeem journalled when the process died: how far it had got. */
  stage:
    | 'no redeem started'
    | 'intent only'
    | 'signed, not sent'
    | 'sent, no receipt'
    | 'mined, not journalled'
    | 'receipt, not booked'
    | 'booked';
  ms: number;
}

interface JournalLine {
  t: string;
  id: string;
  hash?: string;
}

function journalLines(path: string): JournalLine[] {
  if (!existsSync(path)) return [];
  const out: JournalLine[] = [];
  for (const l of readFileSync(path, 'utf8').split('\n')) {
    try {
      if (l.trim()) out.push(JSON.parse(l) as JournalLine);
    } catch {
      // a torn last line
    }
  }
  return out;
}

async function stageOf(lines: JournalLine[], since: number, rpcUrl: string): Promise<RedeemKill['stage']> {
  // The redeem this process started, else the one it was finishing from an earlier process.
  const intents = lines.filter((l) => l.t === 'intent');
  const last =
    lines
      .slice(since)
      .filter((l) => l.t === 'intent')
      .at(-1) ?? intents.at(-1);
  if (!last) return 'no redeem started';
  const of = (t: string) => lines.some((l) => l.id === last.id && l.t === t);
  if (of('booked')) return 'booked';
  if (of('done')) return 'receipt, not booked';
  const signed = lines.filter((l) => l.id === last.id && l.t === 'signed').at(-1);
  if (!signed?.hash) return 'intent only';
  const rpc = async (method: string) => {
    const res = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [signed.hash] }),
    });
    return ((await res.json()) as { result: unknown }).result;
  };
  if ((await rpc('eth_getTransactionByHash')) === null) return 'signed, not sent';
  return (await rpc('eth_getTransactionReceipt')) === null ? 'sent, no receipt' : 'mined, not journalled';
}

/** Runs one `polytail redeem` per moment and SIGKILLs it there; resolves with what each kill interrupted. */
export async function killRedeems(o: {
  sandboxUrl: string;
  /** The chain's HTTP JSON-RPC, to ask whether a killed redeem's transaction was sent. */
  rpcUrl: string;
  dataDir: string;
  moments: RedeemKillMoment[];
  say: (line: string) => void;
  timeoutMs?: number;
}): Promise<RedeemKill[]> {
  const journal = join(o.dataDir, 'sessions', 'redeems.journal.jsonl');
  const kills: RedeemKill[] = [];
  for (const moment of o.moments) {
    const before = journalLines(journal).length;
    const t0 = Date.now();
    const proc = spawn(
      process.execPath,
      ['bin/polytail', 'redeem', '--sandbox', o.sandboxUrl, '--data-dir', o.dataDir, '--all', '--yes'],
      // No key in the environment: against the sandbox the CLI signs with its public test key, as the session does.
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'POLYTAIL_PRIVATE_KEY')),
      },
    );
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    let ended: number | null | undefined;
    void exited.then((code) => (ended = code));
    const deadline = Date.now() + (o.timeoutMs ?? 60_000);
    let hit = false;
    while (!hit && ended === undefined && Date.now() < deadline) {
      const fresh = journalLines(journal).slice(before);
      hit = fresh.some((l) => l.t === moment);
      if (!hit) await new Promise((r) => setTimeout(r, 5));
    }
    if (hit && moment === 'signed') await new Promise((r) => setTimeout(r, 20));
    if (ended !== undefined) {
      o.say(`redeem kill (${moment}): the process ended by itself (code ${ended}) before that moment:\n${out.slice(-800)}`);
      continue;
    }
    proc.kill('SIGKILL');
    await exited;
    const kill: RedeemKill = { moment, stage: await stageOf(journalLines(journal), before, o.rpcUrl), ms: Date.now() - t0 };
    kills.push(kill);
    o.say(`redeem kill (${moment}) after ${kill.ms} ms: ${kill.stage}${hit ? '' : ' (moment never came: killed at the deadline)'}`);
  }
  return kills;
}
