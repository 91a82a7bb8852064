import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { UserView } from '@floorboard/shared';
import UsersView from '../../src/views/admin/UsersView.vue';
import { errorResponse, jsonResponse, stubApi, type ApiCall } from '../support/http';
import { storeSession } from '../support/session';

const user = (id: string, username: string, overrides: Partial<UserView> = {}): UserView => ({
  id,
  username,
  role: 'viewer',
  disabled: false,
  createdAt: '2026-03-01T08:00:00.000Z',
  lastLoginAt: null,
  ...overrides,
});

describe('UsersView', () => {
  let pinia: Pinia;
  let users: UserView[];

  beforeEach(() => {
    localStorage.clear();
    storeSession('admin');
    pinia = createPinia();
    setActivePinia(pinia);
    users = [
      user('1', 'admin', { role: 'admin', lastLoginAt: '2026-03-02T07:00:00.000Z' }),
      user('2', 'carla', { role: 'coordinator' }),
    ];
  });

  /** PATCH answers with the changed user, or with `refusal` when given. */
  function api(refusal?: Response) {
    return stubApi({
      'GET /users': () => jsonResponse(200, users),
      'POST /users': (call) => {
        const body = call.body as { username: string; role: UserView['role'] };
        if (users.some((u) => u.username === body.username)) return errorResponse(409, 'USER_EXISTS');
        return jsonResponse(201, user('3', body.username, { role: body.role }));
      },
      'PATCH /users/1': (call) => refusal ?? patch(call, '1'),
      'PATCH /users/2': (call) => refusal ?? patch(call, '2'),
    });
  }

  function patch(call: ApiCall, id: string) {
    const { password: _password, ...change } = call.body as Partial<UserView> & { password?: string };
    const saved = { ...users.find((u) => u.id === id)!, ...change };
    return jsonResponse(200, saved);
  }

  async function mountView() {
    const wrapper = mount(UsersView, { global: { plugins: [pinia] }, attachTo: document.body });
    await flushPromises();
    return wrapper;
  }

  const row = (wrapper: Awaited<ReturnType<typeof mountView>>, username: string) =>
    wrapper.get(`[data-testid="user-row"][data-username="${username}"]`);

  it('lists the users with role, status and last sign-in, marking the signed-in one', async () => {
    api();
    const wrapper = await mountView();
    const rows = wrapper.findAll('[data-testid="user-row"]');
    expect(rows.map((r) => r.attributes('data-username'))).toEqual(['admin', 'carla']);
    expect(row(wrapper, 'admin').text()).toContain('(you)');
    expect((row(wrapper, 'carla').get('[data-testid="user-role"]').element as HTMLSelectElement).value).toBe(
      'coordinator',
    );
    expect(row(wrapper, 'carla').get('[data-testid="user-status"]').text()).toBe('Active');
    expect(row(wrapper, 'carla').text()).toContain('never');
    wrapper.unmount();
  });

  it('creates a user with a role', async () => {
    const server = api();
    const wrapper = await mountView();
    await wrapper.get('[data-testid="user-create-username"]').setValue('pete');
    await wrapper.get('[data-testid="user-create-password"]').setValue('long-enough');
    await wrapper.get('[data-testid="user-create-role"]').setValue('planner');
    await wrapper.get('[data-testid="user-create-submit"]').trigger('click');
    await flushPromises();

    expect(server.to('POST /users')[0].body).toEqual({ username: 'pete', password: 'long-enough', role: 'planner' });
    expect(row(wrapper, 'pete').attributes('data-role')).toBe('planner');
    expect(wrapper.get('[data-testid="users-notice"]').text()).toBe('pete was added as planner.');
    expect((wrapper.get('[data-testid="user-create-username"]').element as HTMLInputElement).value).toBe('');
    wrapper.unmount();
  });

  it('explains a taken username and does not submit a short password', async () => {
    const server = api();
    const wrapper = await mountView();
    await wrapper.get('[data-testid="user-create-username"]').setValue('carla');
    await wrapper.get('[data-testid="user-create-password"]').setValue('short');
    expect(wrapper.get('[data-testid="user-create-submit"]').attributes('disabled')).toBeDefined();

    await wrapper.get('[data-testid="user-create-password"]').setValue('long-enough');
    await wrapper.get('[data-testid="user-create-submit"]').trigger('click');
    await flushPromises();
    expect(server.to('POST /users')).toHaveLength(1);
    expect(wrapper.get('[data-testid="user-create-error"]').text()).toBe('A user with this name already exists.');
    wrapper.unmount();
  });

  it('changes a role', async () => {
    const server = api();
    const wrapper = await mountView();
    await row(wrapper, 'carla').get('[data-testid="user-role"]').setValue('manager');
    await flushPromises();
    expect(server.to('PATCH /users/2')[0].body).toEqual({ role: 'manager' });
    expect(row(wrapper, 'carla').attributes('data-role')).toBe('manager');
    expect(wrapper.get('[data-testid="users-notice"]').text()).toBe('carla is now manager.');
    wrapper.unmount();
  });

  it('explains LAST_ADMIN and puts the role back', async () => {
    api(errorResponse(409, 'LAST_ADMIN', 'at least one enabled admin must remain'));
    const wrapper = await mountView();
    const select = row(wrapper, 'admin').get('[data-testid="user-role"]');
    await select.setValue('viewer');
    await flushPromises();
    expect(wrapper.get('[data-testid="users-error"]').text()).toContain(
      'admin: That would leave the plant without an active admin',
    );
    expect((select.element as HTMLSelectElement).value).toBe('admin');
    expect(row(wrapper, 'admin').attributes('data-role')).toBe('admin');
    wrapper.unmount();
  });

  it('disables and enables a user', async () => {
    const server = api();
    const wrapper = await mountView();
    await row(wrapper, 'carla').get('[data-testid="user-toggle"]').trigger('click');
    await flushPromises();
    expect(server.to('PATCH /users/2')[0].body).toEqual({ disabled: true });
    expect(row(wrapper, 'carla').get('[data-testid="user-status"]').text()).toBe('Disabled');
    expect(row(wrapper, 'carla').get('[data-testid="user-toggle"]').text()).toBe('Enable');
    expect(wrapper.get('[data-testid="users-notice"]').text()).toContain('disabled and signed out everywhere');

    users[1] = { ...users[1], disabled: true };
    await row(wrapper, 'carla').get('[data-testid="user-toggle"]').trigger('click');
    await flushPromises();
    expect(server.to('PATCH /users/2')[1].body).toEqual({ disabled: false });
    expect(row(wrapper, 'carla').get('[data-testid="user-status"]').text()).toBe('Active');
    wrapper.unmount();
  });

  it('resets a password', async () => {
    const server = api();
    const wrapper = await mountView();
    await row(wrapper, 'carla').get('[data-testid="user-reset"]').trigger('click');
    expect(wrapper.get('[data-testid="user-reset-form"]').text()).toContain('New password for carla');
    await wrapper.get('[data-testid="user-reset-password"]').setValue('brand-new-pw');
    await wrapper.get('[data-testid="user-reset-submit"]').trigger('click');
    await flushPromises();
    expect(server.to('PATCH /users/2')[0].body).toEqual({ password: 'brand-new-pw' });
    expect(wrapper.find('[data-testid="user-reset-form"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="users-notice"]').text()).toContain('password of carla was changed');
    wrapper.unmount();
  });

  it('shows a 403 from the server as a clear message', async () => {
    stubApi({ 'GET /users': errorResponse(403, 'AUTH_ROLE_TOO_LOW') });
    const wrapper = await mountView();
    expect(wrapper.get('[data-testid="users-error"]').text()).toBe(
      'Your role does not allow this. Ask an admin if you need access.',
    );
    wrapper.unmount();
  });
});
