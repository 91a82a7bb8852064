import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiRequest, ApiRequestError, configureApiClient } from '../../src/api/client';
import { jsonResponse } from '../support/http';

describe('apiRequest', () => {
  const onUnauthorized = vi.fn();

  afterEach(() => {
    configureApiClient({ getToken: () => null, onUnauthorized: () => undefined });
    onUnauthorized.mockReset();
  });

  function signedInAs(token: string | null) {
    configureApiClient({ getToken: () => token, onUnauthorized });
  }

  it('sends the bearer token and returns the parsed body', async () => {
    signedInAs('tok');
    const fetchMock = vi.fn(async () => jsonResponse(200, [{ key: 'assembly-1' }]));
    vi.stubGlobal('fetch', fetchMock);

    await expect(apiRequest('/lines')).resolves.toEqual([{ key: 'assembly-1' }]);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/lines');
    expect(new Headers(init.headers).get('Authorization')).toBe('Bearer tok');
  });

  it('turns the server error shape into an ApiRequestError with its code', async () => {
    signedInAs('tok');
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        jsonResponse(404, { statusCode: 404, code: 'LINE_NOT_FOUND', message: 'no such line', details: { key: 'x' } }),
      ),
    );
    const error = await apiRequest('/lines/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({
      status: 404,
      code: 'LINE_NOT_FOUND',
      message: 'no such line',
      details: { key: 'x' },
    });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('reports a 401 on an authenticated call as the end of the session', async () => {
    signedInAs('expired');
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(401, { statusCode: 401, code: 'AUTH_REQUIRED', message: 'token expired' })),
    );
    await expect(apiRequest('/lines')).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('does not send the token nor end the session for calls made without auth', async () => {
    signedInAs('tok');
    const fetchMock = vi.fn(async () =>
      jsonResponse(401, { statusCode: 401, code: 'AUTH_INVALID_CREDENTIALS', message: 'bad' }),
    );
    vi.stubGlobal('fetch', fetchMock);
    await expect(apiRequest('/auth/login', { method: 'POST', body: {}, auth: false })).rejects.toMatchObject({
      code: 'AUTH_INVALID_CREDENTIALS',
    });
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(new Headers(init.headers).has('Authorization')).toBe(false);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('gives non-JSON failures and network failures a code too', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('<html>Bad gateway</html>', { status: 502 })),
    );
    await expect(apiRequest('/lines')).rejects.toMatchObject({ status: 502, code: 'HTTP_502' });

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    await expect(apiRequest('/lines')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });

  it('leaves empty query parameters out', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(200, {}));
    vi.stubGlobal('fetch', fetchMock);
    await apiRequest('/audit', { query: { limit: 50, actor: '', action: undefined, cursor: 'c 1' } });
    expect((fetchMock.mock.calls[0] as unknown as [string])[0]).toBe('/api/v1/audit?limit=50&cursor=c+1');
  });

  it('retries once with the renewed token after AUTH_TOKEN_EXPIRED', async () => {
    let token = 'old';
    const refresh = vi.fn(async () => {
      token = 'new';
      return 'refreshed' as const;
    });
    configureApiClient({ getToken: () => token, refresh, onUnauthorized });
    const fetchMock = vi.fn(async (_url: string, init: RequestInit) =>
      new Headers(init.headers).get('Authorization') === 'Bearer new'
        ? jsonResponse(200, { ok: true })
        : jsonResponse(401, { statusCode: 401, code: 'AUTH_TOKEN_EXPIRED', message: 'expired' }),
    );
    vi.stubGlobal('fetch', fetchMock);
    await expect(apiRequest('/lines')).resolves.toEqual({ ok: true });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('does not refresh for a 403, nor for a call made with an explicit token', async () => {
    const refresh = vi.fn(async () => 'refreshed' as const);
    configureApiClient({ getToken: () => 'tok', refresh, onUnauthorized });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(403, { statusCode: 403, code: 'AUTH_ROLE_TOO_LOW', message: 'admin only' })),
    );
    await expect(apiRequest('/users')).rejects.toMatchObject({ status: 403, code: 'AUTH_ROLE_TOO_LOW' });

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(401, { statusCode: 401, code: 'AUTH_TOKEN_EXPIRED', message: 'expired' })),
    );
    await expect(apiRequest('/auth/logout', { method: 'POST', token: 'old' })).rejects.toMatchObject({ status: 401 });
    expect(refresh).not.toHaveBeenCalled();
    expect(onUnauthorized).not.toHaveBeenCalled();
  });
});
