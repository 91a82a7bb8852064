import request from 'supertest';
import { dropTestSchema, INGEST_TOKEN, startTestServer, type TestServer } from '../support/test-server.js';
import { TEST_PLANT } from '../support/fixtures.js';
import { listRoutes, samplePath, type RouteInfo } from '../support/route-inventory.js';
import { tableChecksums } from '../support/users.js';
import { BODY_CASES, PATH_VALUES, QUERY_EDGE_VALUES, QUERY_VALUES } from '../corpus/bad-input.js';

interface Outcome {
  request: string;
  status: number;
  code: unknown;
}

/**
 * Every endpoint (enumerated from the app, so new ones join by themselves) gets the corpus of bad
 * input as an admin (ingest routes with the ingest token): the answer is a 4xx with an error code,
 * never a 500, and no table changes (failed sign-ins are recorded in the audit log and left out).
 */
describe('bad input on every endpoint', () => {
  let server: TestServer;
  let routes: RouteInfo[];
  let queryParams: Map<string, string[]>;

  beforeAll(async () => {
    server = await startTestServer({ plant: TEST_PLANT });
    routes = listRoutes(server.app).filter((r) => !r.path.startsWith('/health') && r.path !== '/metrics');
    const doc = (await request(server.httpUrl).get('/api/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
    };
    queryParams = new Map();
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const names = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        queryParams.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, names);
      }
    }
  });
  afterAll(async () => {
    await dropTestSchema(server);
    await server.close();
  });

  const send = (route: RouteInfo, url: string) => {
    const token = route.access.kind === 'ingest' ? INGEST_TOKEN : server.adminToken;
    const agent = request(server.httpUrl) as unknown as Record<string, (u: string) => request.Test>;
    return agent[route.method.toLowerCase()]!(url).set('Authorization', `Bearer ${token}`);
  };

  const record = (outcomes: Outcome[], label: string, res: request.Response) =>
    outcomes.push({ request: label, status: res.status, code: (res.body as { code?: unknown }).code });

  it('answers 4xx with a code and changes nothing', async () => {
    const before = await tableChecksums(server, `action = 'auth.login-failed'`);
    const outcomes: Outcome[] = [];
    let exercised = 0;
    for (const route of routes) {
      const label = `${route.method} ${route.path}`;
      const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      for (const param of params) {
        for (const value of PATH_VALUES) {
          const url = samplePath(route.path, { [param]: value });
          const req = send(route, url);
          const res = route.method === 'GET' || route.method === 'DELETE' ? await req : await req.send({});
          record(outcomes, `${label} ${param}=${value.slice(0, 40)}`, res);
          exercised += 1;
        }
      }
      for (const name of queryParams.get(label) ?? []) {
        for (const value of QUERY_VALUES) {
          const res = await send(route, `${samplePath(route.path)}?${name}=${encodeURIComponent(value)}`);
          record(outcomes, `${label} ?${name}=${value.slice(0, 40)}`, res);
          exercised += 1;
        }
        for (const value of QUERY_EDGE_VALUES) {
          const res = await send(route, `${samplePath(route.path)}?${name}=${encodeURIComponent(value)}`);
          if (res.status !== 200) record(outcomes, `${label} ?${name}=${value}`, res);
          exercised += 1;
        }
      }
      if (['POST', 'PUT', 'PATCH'].includes(route.method)) {
        for (const body of BODY_CASES) {
          const res = await send(route, samplePath(route.path)).set('Content-Type', body.contentType).send(body.raw);
          record(outcomes, `${label} body: ${body.name}`, res);
          exercised += 1;
        }
      }
    }
    const wrong = outcomes.filter((o) => o.status < 400 || o.status >= 500 || typeof o.code !== 'string');
    expect(wrong).toEqual([]);
    expect(exercised).toBeGreaterThan(500);
    expect(await tableChecksums(server, `action = 'auth.login-failed'`)).toEqual(before);
    await request(server.httpUrl).get('/health/live').expect(200);
  });
});
