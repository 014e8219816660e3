/**
 * Fault injection: scripted per scenario (`faults: [{atSec, fault}]`) or posted to POST /_sandbox/faults.
 * Each fault is a plain JSON object with a `kind`; `times` limits how often a request fault fires.
 */
import { z } from 'zod';

const channel = z.enum(['rtds', 'market', 'all']).default('all');
const matcher = {
  path: z.string().optional(),
  method: z.string().optional(),
  times: z.number().int().positive().optional(),
  /** Only requests to this service (paths are service-relative: `/activity` is the Data API's). */
  service: z.enum(['clob', 'data', 'gamma']).optional(),
  /** Active for this long after it is posted (an outage), instead of until cleared. */
  ms: z.number().int().positive().optional(),
};

export const faultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('http'),
    ...matcher,
    status: z.number().int().min(400).max(599),
    body: z.unknown().optional(),
    retryAfterSec: z.number().min(0).optional(),
  }),
  z.object({ kind: z.literal('slow'), ...matcher, delayMs: z.number().int().min(1).max(600_000) }),
  /** POST /order is executed on the exchange, but the response never arrives ('hang') or the socket is cut ('reset'). */
  z.object({
    kind: z.literal('order-timeout'),
    times: z.number().int().positive().optional(),
    mode: z.enum(['hang', 'reset']).default('hang'),
  }),
  z.object({
    kind: z.literal('mode'),
    mode: z.enum(['normal', 'cancel-only', 'post-only', 'disabled']),
    retryAfterSec: z.number().int().min(0).default(79),
  }),
  /** Terminates sockets now; with `ms`, also refuses new connections on the channel for that long. */
  z.object({ kind: z.literal('ws-drop'), channel, ms: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('ws-stall'), channel, ms: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('ws-duplicate'), channel, probability: z.number().min(0).max(1).default(1) }),
  z.object({ kind: z.literal('ws-reorder'), channel, probability: z.number().min(0).max(1).default(1) }),
  z.object({ kind: z.literal('ws-malformed'), channel, probability: z.number().min(0).max(1).default(1) }),
  z.object({
    kind: z.literal('geoblock'),
    blocked: z.boolean().default(true),
    country: z.string().default('US'),
    region: z.string().default('NY'),
  }),
  z.object({ kind: z.literal('clock-skew'), ms: z.number().int() }),
  z.object({ kind: z.literal('bad-credentials') }),
  z.object({ kind: z.literal('zero-balance'), address: z.string().optional() }),
]);

export type Fault = z.infer<typeof faultSchema>;
export type FaultKind = Fault['kind'];
type Channel = 'rtds' | 'market';

/** Parses a fault; throws naming the bad field. */
export function parseFault(input: unknown): Fault {
  const r = faultSchema.safeParse(input);
  if (!r.success) {
    throw new Error(`invalid fault: ${r.error.issues.map((i) => `${i.path.join('.') || 'kind'}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

interface Active {
  fault: Fault;
  used: number;
  untilMs?: number;
}

export class FaultState {
  private active: Active[] = [];
  /** Called when a one-shot WS drop is requested. */
  onDrop: (channel: 'rtds' | 'market' | 'all') => void = () => {};

  constructor(private readonly now: () => number) {}

  add(input: unknown): Fault {
    const fault = parseFault(input);
    if (fault.kind === 'ws-drop') {
      this.onDrop(fault.channel);
      if (fault.ms) this.active.push({ fault, used: 0, untilMs: this.now() + fault.ms });
      return fault;
    }
    // A newer setting of the same singleton kind replaces the old one.
    if (['mode', 'geoblock', 'clock-skew'].includes(fault.kind)) this.clear(fault.kind);
    const ms = fault.kind === 'ws-stall' || fault.kind === 'http' || fault.kind === 'slow' ? fault.ms : undefined;
    this.active.push({ fault, used: 0, untilMs: ms ? this.now() + ms : undefined });
    return fault;
  }

  clear(kind?: FaultKind): void {
    this.active = kind ? this.active.filter((a) => a.fault.kind !== kind) : [];
  }

  list(): Fault[] {
    this.prune();
    return this.active.map((a) => a.fault);
  }

  private prune(): void {
    const now = this.now();
    this.active = this.active.filter(
      (a) =>
        (a.untilMs === undefined || a.untilMs > now) &&
        (a.fault.kind === 'ws-stall' || !('times' in a.fault) || a.fault.times === undefined || a.used < a.fault.times),
    );
  }

  private find<K extends FaultKind>(
    kind: K,
    pred: (f: Extract<Fault, { kind: K }>) => boolean = () => true,
  ): Extract<Fault, { kind: K }> | undefined {
    this.prune();
    const hit = this.active.find((a) => a.fault.kind === kind && pred(a.fault as Extract<Fault, { kind: K }>));
    return hit?.fault as Extract<Fault, { kind: K }> | undefined;
  }

  /** Consumes one use of the first matching request fault. */
  private take<K extends 'http' | 'slow' | 'order-timeout'>(
    kind: K,
    method: string,
    path: string,
    service?: string,
  ): Extract<Fault, { kind: K }> | undefined {
    this.prune();
    const hit = this.active.find((a) => {
      if (a.fault.kind !== kind) return false;
      const f = a.fault as { path?: string; method?: string; service?: string };
      if (f.service && service && f.service !== service) return false;
      return (
        (!f.path || path === f.path || path.startsWith(f.path.endsWith('/') ? f.path : f.path + '/')) &&
        (!f.method || f.method.toUpperCase() === method)
      );
    });
    if (!hit) return undefined;
    hit.used += 1;
    return hit.fault as Extract<Fault, { kind: K }>;
  }

  httpFault(method: string, path: string, service?: string) {
    return this.take('http', method, path, service);
  }
  slowFault(method: string, path: string, service?: string) {
    return this.take('slow', method, path, service);
  }
  /** A `ws-drop` with `ms` is still refusing new connections on this channel. */
  wsRefused(ch: Channel): boolean {
    return this.find('ws-drop', (f) => f.channel === 'all' || f.channel === ch) !== undefined;
  }
  orderTimeout() {
    return this.take('order-timeout', 'POST', '/order');
  }
  mode() {
    return this.find('mode');
  }
  geoblock() {
    return this.find('geoblock');
  }
  clockSkewMs(): number {
    return this.find('clock-skew')?.ms ?? 0;
  }
  badCredentials(): boolean {
    return this.find('bad-credentials') !== undefined;
  }
  zeroBalance(address: string): boolean {
    return this.find('zero-balance', (f) => !f.address || f.address.toLowerCase() === address.toLowerCase()) !== undefined;
  }
  wsStalled(ch: Channel): boolean {
    return this.find('ws-stall', (f) => f.channel === 'all' || f.channel === ch) !== undefined;
  }
  wsProbability(kind: 'ws-duplicate' | 'ws-reorder' | 'ws-malformed', ch: Channel): number {
    return this.find(kind, (f) => f.channel === 'all' || f.channel === ch)?.probability ?? 0;
  }
}
