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

export interface ApiClientHooks {
  /** The bearer token to send, or null when signed out. */
  getToken: () => string | null;
  /** Called when a request that carried a token comes back 401 (token expired or revoked). */
  onUnauthorized: () => void;
}

let hooks: ApiClientHooks = { getToken: () => null, onUnauthorized: () => undefined };

/** Wires the client to the session; done once at startup (see `main.ts`). */
export function configureApiClient(next: ApiClientHooks): void {
  hooks = next;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Send the session's bearer token (default true). Login is the one call that does not. */
  auth?: boolean;
}

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

/** Calls `API_BASE + path` and returns the parsed JSON body; any non-2xx answer throws an `ApiRequestError`. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = options.auth === false ? null : hooks.getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (cause) {
    throw new ApiRequestError(0, 'NETWORK_ERROR', cause instanceof Error ? cause.message : String(cause));
  }

  const body = await readJson(response);
  if (!response.ok) {
    if (response.status === 401 && token) hooks.onUnauthorized();
    if (isApiError(body)) throw new ApiRequestError(response.status, body.code, body.message, body.details);
    throw new ApiRequestError(response.status, `HTTP_${response.status}`, response.statusText || 'Request failed');
  }
  return body as T;
}
