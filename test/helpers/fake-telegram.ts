/**
 * A local fake of the Telegram Bot API, enough for grammY's long polling: getMe, deleteWebhook,
 * getUpdates (long-polled, held at most a second), sendMessage and setMyCommands. Tests inject
 * messages from any chat and read what the bot sent, with arrival times.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMessage {
  chatId: number;
  text: string;
  atMs: number;
}

export class FakeTelegram {
  readonly sent: SentMessage[] = [];
  private updates: unknown[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private waiters: (() => void)[] = [];
  private server?: Server;
  /** Calls by method name. */
  readonly calls = new Map<string, number>();

  constructor(readonly token: string) {}

  get apiRoot(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on(
        'end',
        () =>
          void this.handle(req.url ?? '', raw).then((body) =>
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
          ),
      );
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return this;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters.splice(0)) w();
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  /** A user in `chatId` sends `text` (a /command gets its bot_command entity, as Telegram does). */
  message(chatId: number, text: string): void {
    const command = /^\/\w+/.exec(text)?.[0];
    this.updates.push({
      update_id: this.nextUpdateId++,
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private', username: `user${chatId}` },
        from: { id: chatId, is_bot: false, first_name: `user${chatId}` },
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
      },
    });
    for (const w of this.waiters.splice(0)) w();
  }

  sentTo(chatId: number): SentMessage[] {
    return this.sent.filter((m) => m.chatId === chatId);
  }

  private async handle(url: string, raw: string): Promise<unknown> {
    const m = /^\/bot([^/]+)\/(\w+)/.exec(url);
    if (!m || m[1] !== this.token) return { ok: false, error_code: 401, description: 'Unauthorized' };
    const method = m[2]!;
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    const params = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    switch (method) {
      case 'getMe':
        return { ok: true, result: { id: 42, is_bot: true, first_name: 'polytail test', username: 'polytail_test_bot' } };
      case 'deleteWebhook':
      case 'setMyCommands':
        return { ok: true, result: true };
      case 'getUpdates':
        return { ok: true, result: await this.getUpdates(Number(params.offset ?? 0), Number(params.timeout ?? 0)) };
      case 'sendMessage': {
        const chatId = Number(params.chat_id);
        this.sent.push({ chatId, text: String(params.text), atMs: Date.now() });
        return {
          ok: true,
          result: { message_id: this.nextMessageId++, date: 0, chat: { id: chatId, type: 'private' }, text: params.text },
        };
      }
      default:
        return { ok: false, error_code: 404, description: 'Not Found: method not in the fake' };
    }
  }

  private async getUpdates(offset: number, timeoutSec: number): Promise<unknown[]> {
    this.updates = this.updates.filter((u) => (u as { update_id: number }).update_id >= offset);
    if (this.updates.length === 0 && timeoutSec > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(timeoutSec, 1) * 1000);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
    return this.updates.slice(0, 100);
  }
}

/** A local webhook receiver: every POSTed JSON body, with its arrival time. */
export async function startWebhookReceiver(): Promise<{
  url: string;
  bodies: { body: Record<string, unknown>; atMs: number }[];
  stop(): Promise<void>;
}> {
  const bodies: { body: Record<string, unknown>; atMs: number }[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      bodies.push({ body: JSON.parse(raw) as Record<string, unknown>, atMs: Date.now() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook/secret-part`,
    bodies,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
