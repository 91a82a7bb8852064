import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TokenView } from '@floorboard/shared';
import DisplayTokensView from '../../src/views/admin/DisplayTokensView.vue';
import IngestTokensView from '../../src/views/admin/IngestTokensView.vue';
import { jsonResponse, stubApi } from '../support/http';
import { storeSession } from '../support/session';

const token = (id: string, name: string, overrides: Partial<TokenView> = {}): TokenView => ({
  id,
  name,
  createdAt: '2026-03-01T08:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
  ...overrides,
});

describe.each([
  ['display', DisplayTokensView, '/display-tokens', 'fbd_s3cr3t'],
  ['ingest', IngestTokensView, '/ingest-tokens', 'fbi_s3cr3t'],
] as const)('%s tokens view', (kind, View, path, secret) => {
  let tokens: TokenView[];

  beforeEach(() => {
    localStorage.clear();
    storeSession('admin');
    setActivePinia(createPinia());
    tokens = [token('t1', 'Hall 1', { lastUsedAt: '2026-03-02T07:00:00.000Z' })];
  });

  function api() {
    return stubApi({
      [`GET ${path}`]: () => jsonResponse(200, tokens),
      [`POST ${path}`]: (call) => {
        const { name } = call.body as { name: string };
        tokens = [...tokens, token('t2', name)];
        return jsonResponse(201, { id: 't2', name, token: secret });
      },
      [`DELETE ${path}/t1`]: () => {
        tokens = tokens.map((t) => (t.id === 't1' ? { ...t, revokedAt: '2026-03-02T09:00:00.000Z' } : t));
        return new Response(null, { status: 204 });
      },
    });
  }

  async function mountView() {
    const wrapper = mount(View, { attachTo: document.body });
    await flushPromises();
    return wrapper;
  }

  const id = (part: string) => `[data-testid="${kind}-token-${part}"]`;
  const row = (wrapper: Awaited<ReturnType<typeof mountView>>, name: string) =>
    wrapper.get(`${id('row')}[data-name="${name}"]`);

  it('creates a token and shows it once, with what to do with it', async () => {
    const server = api();
    const wrapper = await mountView();
    expect(wrapper.find(id('created')).exists()).toBe(false);

    await wrapper.get(id('name')).setValue('  Hall 2  ');
    await wrapper.get(id('create')).trigger('click');
    await flushPromises();

    expect(server.to(`POST ${path}`)[0].body).toEqual({ name: 'Hall 2' });
    expect((wrapper.get(id('secret')).element as HTMLInputElement).value).toBe(secret);
    const usage = (wrapper.get(id('usage')).element as HTMLInputElement).value;
    expect(usage).toBe(
      kind === 'display' ? `${window.location.origin}/wall?kiosk&token=${secret}` : `FLOORBOARD_INGEST_TOKEN=${secret}`,
    );
    expect(wrapper.get(id('created')).text()).toContain('only time the token is shown');
    expect(row(wrapper, 'Hall 2').text()).toContain('Active');

    await wrapper.get(id('dismiss')).trigger('click');
    expect(wrapper.find(id('created')).exists()).toBe(false);
    expect(wrapper.text()).not.toContain(secret);
    wrapper.unmount();
  });

  it('revokes a token only after confirming', async () => {
    const server = api();
    const wrapper = await mountView();
    expect(row(wrapper, 'Hall 1').text()).toContain('Active');

    await row(wrapper, 'Hall 1').get(id('revoke')).trigger('click');
    expect(document.querySelector('[data-testid="confirm-dialog"]')?.textContent).toContain('Revoke Hall 1?');
    await wrapper.get('[data-testid="confirm-cancel"]').trigger('click');
    expect(wrapper.find('[data-testid="confirm-dialog"]').exists()).toBe(false);
    expect(server.to(`DELETE ${path}/t1`)).toHaveLength(0);

    await row(wrapper, 'Hall 1').get(id('revoke')).trigger('click');
    await wrapper.get('[data-testid="confirm-ok"]').trigger('click');
    await flushPromises();
    expect(server.to(`DELETE ${path}/t1`)).toHaveLength(1);
    expect(row(wrapper, 'Hall 1').attributes('data-revoked')).toBe('true');
    expect(row(wrapper, 'Hall 1').text()).toContain('Revoked');
    expect(row(wrapper, 'Hall 1').find(id('revoke')).exists()).toBe(false);
    expect(wrapper.get(id('notice')).text()).toBe('Hall 1 was revoked.');
    wrapper.unmount();
  });
});
