import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@floorboard/shared';
import AuditLogView from '../../src/views/admin/AuditLogView.vue';
import { jsonResponse, stubApi, type ApiCall } from '../support/http';
import { storeSession } from '../support/session';

const entry = (id: string, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at: '2026-03-02T08:00:00.000Z',
  actor: 'admin',
  role: 'admin',
  action: 'user.created',
  entity: 'user',
  entityId: `u-${id}`,
  before: null,
  after: { username: `user-${id}`, role: 'viewer' },
  ...overrides,
});

describe('AuditLogView', () => {
  beforeEach(() => {
    localStorage.clear();
    storeSession('manager');
    setActivePinia(createPinia());
  });

  /** Two pages: the first ends with cursor `c1`. */
  function api() {
    return stubApi({
      'GET /audit': (call: ApiCall) =>
        call.query.get('cursor') === 'c1'
          ? jsonResponse(200, { items: [entry('1')], nextCursor: null })
          : jsonResponse(200, {
              items: [
                entry('3', {
                  action: 'user.updated',
                  before: { username: 'carla', role: 'coordinator', disabled: false },
                  after: { username: 'carla', role: 'manager', disabled: false },
                }),
                entry('2', { action: 'display-token.revoked', entity: 'display-token', role: null, actor: 'system' }),
              ],
              nextCursor: 'c1',
            }),
    });
  }

  async function mountView() {
    const wrapper = mount(AuditLogView, { attachTo: document.body });
    await flushPromises();
    return wrapper;
  }

  const rows = (wrapper: Awaited<ReturnType<typeof mountView>>) => wrapper.findAll('[data-testid="audit-row"]');

  it('shows the newest entries first with time, actor, role, action, entity and id', async () => {
    const server = api();
    const wrapper = await mountView();
    expect(server.to('GET /audit')[0].query.get('limit')).toBe('50');
    expect(rows(wrapper).map((r) => r.attributes('data-action'))).toEqual(['user.updated', 'display-token.revoked']);
    const cells = rows(wrapper)[1]
      .findAll('td')
      .map((td) => td.text());
    expect(cells.slice(1, 6)).toEqual(['system', '—', 'display-token.revoked', 'display-token', 'u-2']);
    expect(cells[0]).toMatch(/2026/);
    wrapper.unmount();
  });

  it('expands the before/after diff of an entry, marking what changed', async () => {
    api();
    const wrapper = await mountView();
    await rows(wrapper)[0].get('[data-testid="audit-toggle"]').trigger('click');
    const diff = wrapper.get('[data-testid="audit-diff"]');
    const changed = diff
      .findAll(':scope > tbody > tr')
      .map((tr) => [tr.get('th').text(), tr.attributes('data-changed')]);
    expect(changed).toEqual([
      ['username', 'false'],
      ['role', 'true'],
      ['disabled', 'false'],
    ]);
    expect(diff.text()).toContain('coordinator');
    expect(diff.text()).toContain('manager');

    await rows(wrapper)[0].get('[data-testid="audit-toggle"]').trigger('click');
    expect(wrapper.find('[data-testid="audit-diff"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('loads older entries with the cursor and appends them', async () => {
    const server = api();
    const wrapper = await mountView();
    await wrapper.get('[data-testid="audit-load-more"]').trigger('click');
    await flushPromises();
    expect(server.to('GET /audit')[1].query.get('cursor')).toBe('c1');
    expect(rows(wrapper)).toHaveLength(3);
    expect(wrapper.find('[data-testid="audit-load-more"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('End of the log.');
    wrapper.unmount();
  });

  it('sends the filters, with local date-times as instants, and starts from the newest again', async () => {
    const server = api();
    const wrapper = await mountView();
    await wrapper.get('[data-testid="audit-from"]').setValue('2026-03-01T06:00');
    await wrapper.get('[data-testid="audit-to"]').setValue('2026-03-02T06:00');
    await wrapper.get('[data-testid="audit-actor"]').setValue(' admin ');
    await wrapper.get('[data-testid="audit-action"]').setValue('user.created');
    await wrapper.get('[data-testid="audit-apply"]').trigger('click');
    await flushPromises();

    const query = server.to('GET /audit')[1].query;
    expect(query.get('from')).toBe(new Date(2026, 2, 1, 6, 0).toISOString());
    expect(query.get('to')).toBe(new Date(2026, 2, 2, 6, 0).toISOString());
    expect(query.get('actor')).toBe('admin');
    expect(query.get('action')).toBe('user.created');
    expect(query.has('cursor')).toBe(false);

    await wrapper.get('[data-testid="audit-clear"]').trigger('click');
    await flushPromises();
    expect([...server.to('GET /audit')[2].query.keys()]).toEqual(['limit']);
    wrapper.unmount();
  });

  it('says when nothing matches', async () => {
    stubApi({ 'GET /audit': { items: [], nextCursor: null } });
    const wrapper = await mountView();
    expect(wrapper.get('[data-testid="audit-empty"]').text()).toBe('No entries match these filters.');
    wrapper.unmount();
  });
});
