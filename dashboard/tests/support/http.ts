import { vi } from 'vitest';

/** A `fetch` answer with a JSON body, for stubbing `fetch` in unit tests. */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** The server's error shape. */
export function errorResponse(status: number, code: string, message = code, details?: unknown): Response {
  return jsonResponse(status, { statusCode: status, code, message, ...(details === undefined ? {} : { details }) });
}

export interface ApiCall {
  method: string;
  /** Path below `/api/v1`, without the query. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** The bearer token sent, if any. */
  token: string | null;
}

/** A route's answer: a function of the call, a Response (sent again on every call), or a body sent as 200 JSON. */
export type ApiRoute = ((call: ApiCall) => Response | Promise<Response>) | Response | object | null;

/**
 * Stubs `fetch` with a tiny fake of the REST API: routes are keyed `'METHOD /path'`; unknown routes answer
 * 404. Every call is recorded.
 */
export function stubApi(routes: Record<string, ApiRoute>) {
  const calls: ApiCall[] = [];
  const fetchMock = vi.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://dashboard.test');
    const headers = new Headers(init.headers);
    const call: ApiCall = {
      method: init.method ?? 'GET',
      path: url.pathname.replace(/^\/api\/v1/, ''),
      query: url.searchParams,
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
      token: headers.get('Authorization')?.replace(/^Bearer /, '') ?? null,
    };
    calls.push(call);
    const route = routes[`${call.method} ${call.path}`];
    if (route === undefined) return errorResponse(404, 'NOT_FOUND', `no route ${call.method} ${call.path}`);
    if (typeof route === 'function') return route(call);
    if (route instanceof Response) return route.clone();
    return route === null ? new Response(null, { status: 204 }) : jsonResponse(200, route);
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    calls,
    fetchMock,
    /** The calls to one route. */
    to: (key: string) => calls.filter((call) => `${call.method} ${call.path}` === key),
  };
}
