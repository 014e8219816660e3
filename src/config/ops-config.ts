/**
 * The config file's operations sections: the control server, alert rules and where alerts go
 * (webhooks, Telegram). Secrets are not here: the Telegram bot token comes from the environment.
 */
import { z } from 'zod';

export const serverConfigSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(7878),
    /** Needed (with TLS) to listen on anything but loopback. */
    allowRemote: z.boolean().default(false),
    tlsCert: z.string().optional(),
    tlsKey: z.string().optional(),
    rateLimitPerMinute: z.number().int().positive().default(600),
  })
  .strict();

export const webhookSchema = z
  .object({
    url: z.string().url(),
    /** `json` sends text, content and the alert object; `slack` only `text`; `discord` only `content`. */
    format: z.enum(['json', 'slack', 'discord']).default('json'),
  })
  .strict();

export const telegramSchema = z
  .object({
    /** Chats the bot answers and sends alerts to; everyone else gets nothing. */
    chats: z
      .array(
        z
          .object({
            id: z.number().int(),
            /** What commands this chat may use: viewer reads, trader also /pause /resume, admin also /kill. */
            role: z.enum(['viewer', 'trader', 'admin']).default('viewer'),
          })
          .strict(),
      )
      // A daemon's bot may start with none: users link their chats with one-time codes.
      .default([]),
    /** Bot API base URL (tests point it at a local fake). */
    apiRoot: z.string().url().optional(),
  })
  .strict();

export const alertsConfigSchema = z
  .object({
    /** A feed disconnected for longer than this raises `feed_down`. */
    feedDownSeconds: z.number().positive().default(60),
    /** This many rejected orders within the window raise `rejected_orders`. */
    rejectedBurst: z
      .object({ count: z.number().int().positive().default(5), windowSeconds: z.number().positive().default(60) })
      .strict()
      .default({ count: 5, windowSeconds: 60 }),
    /** Cash below this raises `balance_low` (off when absent). */
    balanceBelowUsdc: z.number().positive().optional(),
    /** Today's loss at this percent of risk.maxDailyLossUsdc raises `daily_loss` (before the halt at 100%). */
    dailyLossWarnPct: z.number().positive().max(100).default(80),
    /** Repeats of an event alert (missed trades, strategy errors) within this fold into one episode. */
    quietMinutes: z.number().positive().default(15),
    webhooks: z.array(webhookSchema).default([]),
    telegram: telegramSchema.optional(),
  })
  .strict();

export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
export type TelegramConfig = z.infer<typeof telegramSchema>;
export type WebhookConfig = z.infer<typeof webhookSchema>;
