import type { ApiError } from '@floorboard/shared';

/** Every REST call lives under this prefix; URLs are relative so the same build works behind any host. */
export const API_BASE = '/api/v1';

/** A failed API call. `code` is the server's error code (`AUTH_INVALID_CREDENTIALS`, …) or a client-side one. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * What a refresh attempt came to: `refreshed` — a new access token is in place; `rejected` — the session
 * cannot be renewed (no refresh token, or the server refused it); `unavailable` — the server could not be
 * asked (network), the session is kept.
 */
export type RefreshOutcome = 'refreshed' | 'rejected' | 'unavailable';

export interface ApiClientHooks {
  /** The bearer token to send, or null when signed out. */
  getToken: () => string | null;
  /**
   * Renews the access token after a 401. Called at most once per request; the session makes parallel calls
   * share one refresh.
   */
  refresh: () => Promise<RefreshOutcome>;
  /** Called when a request that carried the session's token is refused for good (401 and no renewal). */
  onUnauthorized: () => void;
}

const signedOut: ApiClientHooks = {
  getToken: () => null,
  refresh: async () => 'rejected',
  onUnauthorized: () => undefined,
};

let hooks: ApiClientHooks = signedOut;

/** Wires the client to the session; done once at startup (see `main.ts`). */
export function configureApiClient(next: Partial<ApiClientHooks> & Pick<ApiClientHooks, 'getToken'>): void {
  hooks = { ...signedOut, ...next };
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Query parameters; empty and undefined values are left out. */
  query?: Record<string, string | number | undefined | null>;
  /** Send the session's bearer token (default true). Login and refresh are the calls that do not. */
  auth?: boolean;
  /** Send this bearer token instead of the session's; a 401 then neither refreshes nor ends the session. */
  token?: string;
}

/** 401 codes after which a fresh access token may help. */
const RENEWABLE = new Set(['AUTH_TOKEN_EXPIRED', 'AUTH_REQUIRED']);

function isApiError(value: unknown): value is ApiError {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.statusCode === 'number' &&
    typeof candidate.code === 'string' &&
    typeof candidate.message === 'string'
  );
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

function toError(response: Response, body: unknown): ApiRequestError {
  if (isApiError(body)) return new ApiRequestError(response.status, body.code, body.message, body.details);
  return new ApiRequestError(response.status, `HTTP_${response.status}`, response.statusText || 'Request failed');
}

async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (cause) {
    throw new ApiRequestError(0, 'NETWORK_ERROR', cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * Calls `API_BASE + path` and returns the parsed JSON body (undefined for 204); any non-2xx answer throws an
 * `ApiRequestError`. A 401 on the session's token is retried once after a refresh; if the session cannot be
 * renewed it ends (`onUnauthorized`).
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const sessionToken = options.auth === false || options.token ? null : hooks.getToken();
  let response = await send(path, options, options.token ?? sessionToken);
  let body = await readJson(response);

  if (response.status === 401 && sessionToken) {
    const code = isApiError(body) ? body.code : '';
    let outcome: RefreshOutcome = 'rejected';
    if (RENEWABLE.has(code)) {
      // Another call may have renewed the token while this one was under way: then just use the new one.
      const current = hooks.getToken();
      outcome = current && current !== sessionToken ? 'refreshed' : await hooks.refresh();
    }
    if (outcome === 'unavailable') {
      throw new ApiRequestError(0, 'NETWORK_ERROR', 'the session could not be renewed');
    }
    const renewed = outcome === 'refreshed' ? hooks.getToken() : null;
    if (!renewed) {
      hooks.onUnauthorized();
      throw toError(response, body);
    }
    response = await send(path, options, renewed);
    body = await readJson(response);
    if (response.status === 401) hooks.onUnauthorized();
  }

  if (!response.ok) throw toError(response, body);
  return body as T;
}
