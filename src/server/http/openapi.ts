/** The OpenAPI 3.1 document of the control API, built from the declared routes. */
import type { OpenApiOperation } from './route-kit.ts';

export function openApiDocument(operations: OpenApiOperation[], version: string): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = op.url.replace(/:(\w+)/g, '{$1}');
    const params = [...op.url.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = op.query as { properties?: Record<string, unknown>; required?: string[] } | undefined;
    for (const [name, schema] of Object.entries(query?.properties ?? {}))
      params.push({ name, in: 'query', required: query?.required?.includes(name) ?? false, schema: schema as { type: string } });
    (paths[path] ??= {})[op.method.toLowerCase()] = {
      summary: op.summary,
      tags: [op.tag],
      description: `Needs a ${op.role} token (or higher).`,
      'x-polytail-role': op.role,
      security: [{ bearer: [] }],
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
      responses: {
        '200': { description: 'done; JSON body' },
        '400': { description: 'invalid request: `problems` lists each' },
        '401': { description: 'no token, or a wrong or revoked one' },
        '403': { description: 'the token’s role is too low; nothing was changed' },
        '404': { description: 'no such strategy or order' },
        '429': { description: 'rate limit for this token' },
      },
    };
  }
  paths['/api/stream'] = {
    get: {
      summary:
        'WebSocket: hello, recent history, backlog_end, then decisions, orders, fills, alerts, risk, equity, feeds and the view each second',
      tags: ['stream'],
      'x-polytail-role': 'viewer',
      security: [{ bearer: [] }],
      responses: { '101': { description: 'switching to WebSocket; messages are JSON StreamMessage objects' } },
    },
  };
  paths['/metrics'] = {
    get: {
      summary: 'Prometheus metrics (text format)',
      tags: ['metrics'],
      'x-polytail-role': 'metrics',
      security: [{ bearer: [] }],
      responses: { '200': { description: 'text/plain; version=0.0.4' } },
    },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'polytail control API', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
