/**
 * A generic JSON webhook: Slack and Discord incoming webhooks read `text` and `content`; anything
 * else reads the `alert` object. `format` limits the body to what one of them expects.
 */
import { registerSecret } from '../../core/redact.ts';
import type { WebhookConfig } from '../../config/ops-config.ts';
import type { AlertNotice } from './alert-monitor.ts';
import { noticeText, type AlertSink, type NoticeContext } from './alert-dispatch.ts';

export class WebhookSink implements AlertSink {
  readonly name: string;

  constructor(
    private readonly config: WebhookConfig,
    private readonly timeoutMs = 10_000,
  ) {
    // The URL of a Slack/Discord webhook is itself a secret: name the host only.
    this.name = `webhook ${new URL(config.url).host}`;
    registerSecret(config.url);
  }

  async send(notice: AlertNotice, ctx: NoticeContext): Promise<void> {
    const text = noticeText(notice, ctx);
    const body =
      this.config.format === 'slack'
        ? { text }
        : this.config.format === 'discord'
          ? { content: text }
          : { text, content: text, alert: { ...notice, mode: ctx.mode, runId: ctx.runId } };
    const res = await fetch(this.config.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  }
}
