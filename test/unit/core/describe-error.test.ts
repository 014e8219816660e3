import { describe, expect, it } from 'vitest';
import { describeError } from '../../../src/feeds/feed.ts';

describe('describeError: every error as text a user can act on', () => {
  it('names the error inside a WebSocket ErrorEvent instead of printing [object Object]', () => {
    const event = { type: 'error', target: {}, message: '', error: new Error('connect ECONNREFUSED 127.0.0.1:1') };
    (event.target as { self?: unknown }).self = event.target; // circular, like a real socket
    expect(describeError(event)).toBe('connect ECONNREFUSED 127.0.0.1:1');
    expect(describeError({ type: 'error', message: 'Unexpected server response: 503' })).toBe('Unexpected server response: 503');
  });

  it("unwraps fetch's cause chain and AggregateErrors", () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(describeError(new TypeError('fetch failed', { cause: refused }))).toBe('fetch failed: connect ECONNREFUSED 127.0.0.1:9');
    const both = new AggregateError([new Error('connect ECONNREFUSED ::1:9'), new Error('connect ECONNREFUSED 127.0.0.1:9')]);
    expect(describeError(new TypeError('fetch failed', { cause: both }))).toContain('ECONNREFUSED 127.0.0.1:9');
  });

  it('never returns [object Object] or an empty string', () => {
    for (const thrown of [{}, { code: 'ETIMEDOUT' }, Object.create(null), new Error(''), null, undefined, 42, { nested: { deep: true } }]) {
      const text = describeError(thrown);
      expect(text).not.toBe('');
      expect(text).not.toContain('[object Object]');
    }
    expect(describeError({ code: 'ETIMEDOUT' })).toBe('ETIMEDOUT');
  });
});
