import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StopReason } from '@floorboard/shared';
import ReasonsView from '../../src/views/admin/ReasonsView.vue';
import { errorResponse, jsonResponse, stubApi, type ApiCall, type ApiRoute } from '../support/http';
import { storeSession } from '../support/session';

const reason = (key: string, name: string, parent: string | null, extra: Partial<StopReason> = {}): StopReason => ({
  key,
  name,
  parent,
  category: 'unplanned',
  oeeBucket: 'availability',
  ...extra,
});

describe('ReasonsView', () => {
  let pinia: Pinia;
  let reasons: StopReason[];

  beforeEach(() => {
    localStorage.clear();
    storeSession('manager');
    pinia = createPinia();
    setActivePinia(pinia);
    reasons = [
      reason('mechanical', 'Mechanical', null),
      reason('jam', 'Jam', 'mechanical'),
      reason('motor-fault', 'Motor fault', 'mechanical'),
      reason('break', 'Break', null, { category: 'planned', oeeBucket: 'excluded' }),
    ];
  });

  function api(extra: Record<string, ApiRoute> = {}) {
    return stubApi({
      'GET /reasons': () => jsonResponse(200, reasons),
      'POST /reasons': (call: ApiCall) => jsonResponse(201, call.body),
      'PATCH /reasons/jam': (call: ApiCall) => jsonResponse(200, { ...reasons[1], ...(call.body as object) }),
      'DELETE /reasons/jam': null,
      ...extra,
    });
  }

  async function mountView() {
    const wrapper = mount(ReasonsView, { global: { plugins: [pinia] }, attachTo: document.body });
    await flushPromises();
    return wrapper;
  }
  type Wrapper = Awaited<ReturnType<typeof mountView>>;

  const row = (wrapper: Wrapper, key: string) => wrapper.get(`[data-testid="reason-row"][data-key="${key}"]`);
  const rowKeys = (wrapper: Wrapper) =>
    wrapper.findAll('[data-testid="reason-row"]').map((r) => [r.attributes('data-key'), r.attributes('data-depth')]);

  it('shows the catalogue as a tree with category and OEE bucket', async () => {
    api();
    const wrapper = await mountView();
    expect(rowKeys(wrapper)).toEqual([
      ['mechanical', '0'],
      ['jam', '1'],
      ['motor-fault', '1'],
      ['break', '0'],
    ]);
    expect(row(wrapper, 'break').text()).toContain('Planned');
    expect(row(wrapper, 'break').text()).toContain('Excluded');
    // A family with reasons under it cannot be deleted until they are gone.
    expect(row(wrapper, 'mechanical').get('[data-testid="reason-delete"]').attributes('disabled')).toBeDefined();
    expect(row(wrapper, 'jam').get('[data-testid="reason-delete"]').attributes('disabled')).toBeUndefined();
    wrapper.unmount();
  });

  it('adds a reason below another: key from the name, category and bucket from the parent', async () => {
    const server = api();
    const wrapper = await mountView();
    await row(wrapper, 'break').get('[data-testid="reason-add-below"]').trigger('click');
    expect((wrapper.get('[data-testid="reason-create-parent"]').element as HTMLSelectElement).value).toBe('break');
    expect((wrapper.get('[data-testid="reason-create-bucket"]').element as HTMLSelectElement).value).toBe('excluded');
    await wrapper.get('[data-testid="reason-create-name"]').setValue('Frühstückspause');
    expect((wrapper.get('[data-testid="reason-create-key"]').element as HTMLInputElement).value).toBe(
      'fruehstueckspause',
    );
    await wrapper.get('[data-testid="reason-create-category"]').setValue('unplanned');
    await wrapper.get('[data-testid="reason-create-submit"]').trigger('submit');
    await flushPromises();

    expect(server.to('POST /reasons').map((c) => c.body)).toEqual([
      {
        key: 'fruehstueckspause',
        name: 'Frühstückspause',
        parent: 'break',
        category: 'unplanned',
        oeeBucket: 'excluded',
      },
    ]);
    expect(rowKeys(wrapper).map(([key]) => key)).toEqual([
      'mechanical',
      'jam',
      'motor-fault',
      'break',
      'fruehstueckspause',
    ]);
    expect(row(wrapper, 'fruehstueckspause').attributes('data-depth')).toBe('1');
    expect(wrapper.get('[data-testid="reasons-notice"]').text()).toBe('“Frühstückspause” was added under “Break”.');
    expect((wrapper.get('[data-testid="reason-create-name"]').element as HTMLInputElement).value).toBe('');
    wrapper.unmount();
  });

  it('adds a new family with a key typed by hand', async () => {
    const server = api();
    const wrapper = await mountView();
    await wrapper.get('[data-testid="reason-create-name"]').setValue('Waiting for crane');
    await wrapper.get('[data-testid="reason-create-key"]').setValue('crane');
    await wrapper.get('[data-testid="reason-create-name"]').setValue('Waiting for the crane');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(server.to('POST /reasons')[0]!.body).toEqual({
      key: 'crane',
      name: 'Waiting for the crane',
      parent: null,
      category: 'unplanned',
      oeeBucket: 'availability',
    });
    expect(wrapper.get('[data-testid="reasons-notice"]').text()).toBe(
      '“Waiting for the crane” was added as a new family.',
    );
    wrapper.unmount();
  });

  it.each([
    ['', 'jam-2', 'Enter a name.'],
    ['Jam again', 'jam', 'This key is already in the catalogue.'],
    ['Belt', 'Belt_Slip', 'A key is lowercase letters and digits with single hyphens between them, e.g. “belt-slip”.'],
  ])('refuses name %j with key %j before sending: %s', async (name, key, message) => {
    const server = api();
    const wrapper = await mountView();
    await wrapper.get('[data-testid="reason-create-name"]').setValue(name);
    await wrapper.get('[data-testid="reason-create-key"]').setValue(key);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.findAll('[data-testid="reason-create-problem"]').map((p) => p.text())).toEqual([message]);
    expect(server.to('POST /reasons')).toHaveLength(0);
    wrapper.unmount();
  });

  it('explains REASON_EXISTS from the server (someone else was quicker) and reloads the catalogue', async () => {
    const server = api({ 'POST /reasons': errorResponse(409, 'REASON_EXISTS') });
    const wrapper = await mountView();
    await wrapper.get('[data-testid="reason-create-name"]').setValue('Belt slip');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="reason-create-error"]').text()).toBe('A reason with this key already exists.');
    expect(server.to('GET /reasons')).toHaveLength(2);
    wrapper.unmount();
  });

  it('renames and moves a reason, sending only what changed, and offers no parent below it', async () => {
    const server = api();
    const wrapper = await mountView();
    await row(wrapper, 'mechanical').get('[data-testid="reason-edit"]').trigger('click');
    const options = row(wrapper, 'mechanical')
      .findAll('[data-testid="reason-edit-parent"] option')
      .map((o) => o.attributes('value'));
    expect(options).toEqual(['', 'break']);
    await row(wrapper, 'mechanical').get('[data-testid="reason-edit-cancel"]').trigger('click');

    await row(wrapper, 'jam').get('[data-testid="reason-edit"]').trigger('click');
    await row(wrapper, 'jam').get('[data-testid="reason-edit-name"]').setValue('  Jam (infeed) ');
    await row(wrapper, 'jam').get('[data-testid="reason-edit-parent"]').setValue('motor-fault');
    await row(wrapper, 'jam').get('[data-testid="reason-edit-form"]').trigger('submit');
    await flushPromises();
    expect(server.to('PATCH /reasons/jam').map((c) => c.body)).toEqual([
      { name: 'Jam (infeed)', parent: 'motor-fault' },
    ]);
    expect(row(wrapper, 'jam').attributes('data-parent')).toBe('motor-fault');
    expect(row(wrapper, 'jam').attributes('data-depth')).toBe('2');
    expect(wrapper.get('[data-testid="reasons-notice"]').text()).toBe('“Jam (infeed)” was saved.');
    wrapper.unmount();
  });

  it('does not save an empty name', async () => {
    const server = api();
    const wrapper = await mountView();
    await row(wrapper, 'jam').get('[data-testid="reason-edit"]').trigger('click');
    await row(wrapper, 'jam').get('[data-testid="reason-edit-name"]').setValue('  ');
    expect(row(wrapper, 'jam').get('[data-testid="reason-edit-problem"]').text()).toBe('Enter a name.');
    await row(wrapper, 'jam').get('[data-testid="reason-edit-form"]').trigger('submit');
    await flushPromises();
    expect(server.to('PATCH /reasons/jam')).toHaveLength(0);
    wrapper.unmount();
  });

  it('deletes after a confirmation, and explains REASON_IN_USE', async () => {
    const server = api();
    const wrapper = await mountView();
    await row(wrapper, 'jam').get('[data-testid="reason-delete"]').trigger('click');
    expect(wrapper.get('[data-testid="confirm-dialog"]').text()).toContain('Delete the reason “Jam”?');
    await wrapper.get('[data-testid="confirm-cancel"]').trigger('click');
    expect(server.to('DELETE /reasons/jam')).toHaveLength(0);

    await row(wrapper, 'jam').get('[data-testid="reason-delete"]').trigger('click');
    await wrapper.get('[data-testid="confirm-ok"]').trigger('click');
    await flushPromises();
    expect(server.to('DELETE /reasons/jam')).toHaveLength(1);
    expect(wrapper.find('[data-testid="reason-row"][data-key="jam"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="reasons-notice"]').text()).toBe('“Jam” was deleted.');
    wrapper.unmount();

    api({ 'DELETE /reasons/jam': errorResponse(409, 'REASON_IN_USE') });
    const again = await mountView();
    await row(again, 'jam').get('[data-testid="reason-delete"]').trigger('click');
    await again.get('[data-testid="confirm-ok"]').trigger('click');
    await flushPromises();
    expect(again.get('[data-testid="reasons-error"]').text()).toBe(
      'Jam: Stops are classified with this reason, so it cannot be deleted. Rename it instead.',
    );
    expect(again.find('[data-testid="reason-row"][data-key="jam"]').exists()).toBe(true);
    again.unmount();
  });
});
