/**
 * Users of a daemon: `<dataDir>/users.json` (mode 0600). A user holds roles on accounts (viewer,
 * trader or admin on each account granted to them, nothing on the others); a daemon admin also
 * manages users, their grants and tokens. Tokens (token-store.ts) name the user they belong to.
 * The file is re-read when it changes on disk, so `polytail user …` and a running daemon agree.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.ts';
import { fileStamp, readPrivateJson, writePrivateJson } from './private-json-file.ts';

export const ACCOUNT_ROLES = ['viewer', 'trader', 'admin'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export const USER_NAME_RE = /^[a-z0-9][a-z0-9_.-]{0,39}$/;

const userSchema = z.object({
  name: z.string().regex(USER_NAME_RE),
  daemonAdmin: z.boolean().default(false),
  /** Account id → role on it. */
  grants: z.record(z.string(), z.enum(ACCOUNT_ROLES)).default({}),
  /** Telegram chats linked with a one-time code from the console. */
  telegramChats: z.array(z.number().int()).default([]),
  createdMs: z.number(),
});
const fileSchema = z.object({ version: z.literal(1), users: z.array(userSchema) });

export type User = z.infer<typeof userSchema>;

export function usersFilePath(dataDir: string): string {
  return join(dataDir, 'users.json');
}

export class UserStore {
  private users: User[] = [];
  private loadedStamp = '';

  constructor(readonly path: string) {}

  static forDataDir(dataDir: string): UserStore {
    return new UserStore(usersFilePath(dataDir));
  }

  list(): User[] {
    this.reload();
    return this.users.map((u) => ({ ...u, grants: { ...u.grants }, telegramChats: [...u.telegramChats] }));
  }

  get(name: string): User | undefined {
    return this.list().find((u) => u.name === name);
  }

  create(name: string, options: { daemonAdmin?: boolean; nowMs: number }): User {
    this.reload();
    if (!USER_NAME_RE.test(name))
      throw new ConfigError(`user name "${name}": lower-case letters, digits, _ . - (at most 40, starting with a letter or digit)`);
    if (this.users.some((u) => u.name === name)) throw new ConfigError(`a user "${name}" exists already`);
    const user: User = { name, daemonAdmin: options.daemonAdmin ?? false, grants: {}, telegramChats: [], createdMs: options.nowMs };
    this.users = [...this.users, user];
    this.save();
    return user;
  }

  /** Removes a user (their tokens stop working: a token of an unknown user is refused). */
  remove(name: string): void {
    this.reload();
    this.require(name);
    this.users = this.users.filter((u) => u.name !== name);
    this.save();
  }

  /** Grants a role on an account, or takes every role on it away (`undefined`). */
  grant(name: string, account: string, role: AccountRole | undefined): User {
    return this.update(name, (u) => {
      const grants = { ...u.grants };
      if (role) grants[account] = role;
      else delete grants[account];
      return { ...u, grants };
    });
  }

  setDaemonAdmin(name: string, daemonAdmin: boolean): User {
    return this.update(name, (u) => ({ ...u, daemonAdmin }));
  }

  linkTelegram(name: string, chatId: number): User {
    return this.update(name, (u) => (u.telegramChats.includes(chatId) ? u : { ...u, telegramChats: [...u.telegramChats, chatId] }));
  }

  unlinkTelegram(chatId: number): void {
    this.reload();
    if (!this.users.some((u) => u.telegramChats.includes(chatId))) return;
    this.users = this.users.map((u) => ({ ...u, telegramChats: u.telegramChats.filter((c) => c !== chatId) }));
    this.save();
  }

  /** The user a Telegram chat is linked to. */
  byTelegramChat(chatId: number): User | undefined {
    return this.list().find((u) => u.telegramChats.includes(chatId));
  }

  private require(name: string): User {
    const user = this.users.find((u) => u.name === name);
    if (!user) throw new ConfigError(`no user "${name}" (polytail user list shows them)`);
    return user;
  }

  private update(name: string, change: (u: User) => User): User {
    this.reload();
    const before = this.require(name);
    const after = change(before);
    this.users = this.users.map((u) => (u === before ? after : u));
    this.save();
    return after;
  }

  /** Changes when the file does (users or grants changed by any process). */
  stamp(): string {
    this.reload();
    return this.loadedStamp;
  }

  /** Re-reads the file when it changed on disk (another process changed users or grants). */
  private reload(): void {
    const stamp = fileStamp(this.path);
    if (stamp === this.loadedStamp) return;
    this.users = stamp === 'none' ? [] : readPrivateJson(this.path, fileSchema, 'users file', 'fix or remove it').users;
    this.loadedStamp = stamp;
  }

  private save(): void {
    writePrivateJson(this.path, { version: 1, users: this.users });
    this.loadedStamp = '';
    this.reload();
  }
}
