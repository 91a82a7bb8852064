import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, type Router } from 'vue-router';
import { createAppRouter } from '../../src/router';
import { SESSION_STORAGE_KEY, useAuthStore } from '../../src/stores/auth';
import LoginView from '../../src/views/auth/LoginView.vue';
import { jsonResponse } from '../support/http';

describe('LoginView', () => {
  let pinia: Pinia;
  let router: Router;

  beforeEach(async () => {
    localStorage.clear();
    pinia = createPinia();
    setActivePinia(pinia);
    router = createAppRouter(createMemoryHistory());
    await router.push('/lines/assembly-1');
  });

  async function fillAndSubmit(username: string, password: string) {
    // Attached, so that clicking the submit button submits the form as in a browser.
    const wrapper = mount(LoginView, { attachTo: document.body, global: { plugins: [pinia, router] } });
    await wrapper.get('[data-testid="login-username"]').setValue(username);
    await wrapper.get('[data-testid="login-password"]').setValue(password);
    await wrapper.get('[data-testid="login-submit"]').trigger('click');
    await flushPromises();
    return wrapper;
  }

  it('is where a signed-out visitor lands, remembering the page asked for', () => {
    expect(router.currentRoute.value.name).toBe('login');
    expect(router.currentRoute.value.query.redirect).toBe('/lines/assembly-1');
  });

  it('submits the credentials, stores the session and goes to the page asked for', async () => {
    const fetchMock = vi.fn(async () =>
      jsonResponse(200, { accessToken: 'token-1', expiresIn: 3600, user: { username: 'alice', role: 'coordinator' } }),
    );
    vi.stubGlobal('fetch', fetchMock);

    const wrapper = await fillAndSubmit(' alice ', 's3cret');

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/auth/login');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ username: 'alice', password: 's3cret' });
    expect(new Headers(init.headers).has('Authorization')).toBe(false);

    const auth = useAuthStore();
    expect(auth.token).toBe('token-1');
    expect(auth.user).toEqual({ username: 'alice', role: 'coordinator' });
    const stored = JSON.parse(localStorage.getItem(SESSION_STORAGE_KEY) ?? 'null');
    expect(stored.accessToken).toBe('token-1');
    expect(stored.expiresAt).toBeGreaterThan(Date.now());

    expect(router.currentRoute.value.fullPath).toBe('/lines/assembly-1');
    wrapper.unmount();
  });

  it('shows the translated error on bad credentials and stores nothing', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        jsonResponse(401, { statusCode: 401, code: 'AUTH_INVALID_CREDENTIALS', message: 'Invalid credentials' }),
      ),
    );

    const wrapper = await fillAndSubmit('alice', 'wrong');

    expect(wrapper.get('[data-testid="login-error"]').text()).toBe('Wrong username or password.');
    expect((wrapper.get('[data-testid="login-password"]').element as HTMLInputElement).value).toBe('');
    expect(useAuthStore().isAuthenticated).toBe(false);
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(router.currentRoute.value.name).toBe('login');
    wrapper.unmount();
  });

  it('says when the server cannot be reached', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const wrapper = await fillAndSubmit('alice', 'secret');
    expect(wrapper.get('[data-testid="login-error"]').text()).toContain('cannot be reached');
    wrapper.unmount();
  });

  it('counts down a lock after too many failed attempts and allows a new try afterwards', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        jsonResponse(429, {
          statusCode: 429,
          code: 'AUTH_LOCKED',
          message: 'locked',
          details: { retryAfterSeconds: 30 },
        }),
      ),
    );
    const wrapper = await fillAndSubmit('alice', 'wrong');
    expect(wrapper.get('[data-testid="login-error"]').text()).toBe('Too many failed attempts — try again in 30 s.');

    await wrapper.get('[data-testid="login-password"]').setValue('again');
    expect(wrapper.get('[data-testid="login-submit"]').attributes('disabled')).toBeDefined();
    vi.advanceTimersByTime(12_000);
    await flushPromises();
    expect(wrapper.get('[data-testid="login-error"]').text()).toBe('Too many failed attempts — try again in 18 s.');

    vi.advanceTimersByTime(18_000);
    await flushPromises();
    expect(wrapper.find('[data-testid="login-error"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="login-submit"]').attributes('disabled')).toBeUndefined();
    wrapper.unmount();
    vi.useRealTimers();
  });
});
