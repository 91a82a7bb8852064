import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import type { Role } from '@floorboard/shared';
import { createAppRouter, mayOpen } from '../../src/router';
import { DISPLAY_STORAGE_KEY, useAuthStore } from '../../src/stores/auth';
import { stubApi } from '../support/http';
import { storeSession } from '../support/session';

async function visit(path: string) {
  const router = createAppRouter(createMemoryHistory());
  await router.push(path);
  return router.currentRoute.value;
}

describe('route guards', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
    setActivePinia(createPinia());
  });

  // Which role may open which page (DESIGN.md §4.6); `true` = the page itself, `false` = "not allowed".
  const table: [string, Record<Role, boolean>][] = [
    ['/', { viewer: true, coordinator: true, planner: true, manager: true, admin: true }],
    ['/lines/assembly-1', { viewer: true, coordinator: true, planner: true, manager: true, admin: true }],
    ['/wall', { viewer: true, coordinator: true, planner: true, manager: true, admin: true }],
    ['/audit', { viewer: false, coordinator: false, planner: false, manager: true, admin: true }],
    ['/andon-rules', { viewer: false, coordinator: false, planner: false, manager: true, admin: true }],
    ['/reasons', { viewer: false, coordinator: false, planner: false, manager: true, admin: true }],
    ['/users', { viewer: false, coordinator: false, planner: false, manager: false, admin: true }],
    ['/display-tokens', { viewer: false, coordinator: false, planner: false, manager: false, admin: true }],
    ['/ingest-tokens', { viewer: false, coordinator: false, planner: false, manager: false, admin: true }],
  ];
  const cases = table.flatMap(([path, roles]) =>
    (Object.entries(roles) as [Role, boolean][]).map(([role, allowed]) => [path, role, allowed] as const),
  );

  it.each(cases)('%s as %s → allowed: %s', async (path, role, allowed) => {
    storeSession(role);
    const api = stubApi({});
    const route = await visit(path);
    expect(route.path).toBe(path);
    expect(route.name === 'forbidden').toBe(!allowed);
    // The guard decides without asking the server.
    expect(api.calls).toHaveLength(0);
  });

  it('keeps the refused address and its query on the not-allowed page', async () => {
    storeSession('coordinator');
    stubApi({});
    const route = await visit('/users?tab=1');
    expect(route.name).toBe('forbidden');
    expect(route.fullPath).toBe('/users?tab=1');
  });

  it('sends a signed-out visitor to the login with the page asked for', async () => {
    stubApi({});
    const route = await visit('/audit');
    expect(route.name).toBe('login');
    expect(route.query.redirect).toBe('/audit');
  });

  it('a signed-in person skips the login page', async () => {
    storeSession('viewer');
    stubApi({});
    expect((await visit('/login')).name).toBe('overview');
  });

  it('mayOpen follows the role ladder', () => {
    expect(mayOpen('manager', 'manager')).toBe(true);
    expect(mayOpen('admin', 'manager')).toBe(true);
    expect(mayOpen('planner', 'manager')).toBe(false);
    expect(mayOpen(undefined, 'viewer')).toBe(false);
    expect(mayOpen('viewer', undefined)).toBe(true);
  });
});

describe('wall entry', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
    setActivePinia(createPinia());
  });

  it('signs the tab in with the display token from the link and takes it out of the address', async () => {
    stubApi({});
    const route = await visit('/wall?kiosk&token=fbd_secret');
    expect(route.name).toBe('wall');
    expect(route.fullPath).toBe('/wall?kiosk');
    expect('kiosk' in route.query).toBe(true);
    const auth = useAuthStore();
    expect(auth.token).toBe('fbd_secret');
    expect(auth.user?.role).toBe('viewer');
    expect(JSON.parse(localStorage.getItem(DISPLAY_STORAGE_KEY) ?? '{}').token).toBe('fbd_secret');
  });

  it('uses the stored display token after a reload, without a person signing in', async () => {
    stubApi({});
    await visit('/wall?token=fbd_secret');
    setActivePinia(createPinia());
    sessionStorage.clear();
    const route = await visit('/wall?kiosk');
    expect(route.name).toBe('wall');
    expect(useAuthStore().token).toBe('fbd_secret');
  });

  it('keeps a revoked wall on the wall (which says so) instead of the login form', async () => {
    stubApi({});
    await visit('/wall?token=fbd_secret');
    useAuthStore().endSession();
    setActivePinia(createPinia());
    const route = await visit('/wall?kiosk');
    expect(route.name).toBe('wall');
    expect(useAuthStore().displayRevoked).toBe(true);
  });

  it('a wall screen may not open admin pages', async () => {
    stubApi({});
    const router = createAppRouter(createMemoryHistory());
    await router.push('/wall?token=fbd_secret');
    await router.push('/users');
    expect(router.currentRoute.value.name).toBe('forbidden');
  });

  it('without any token the wall needs a sign-in', async () => {
    stubApi({});
    const route = await visit('/wall');
    expect(route.name).toBe('login');
    expect(route.query.redirect).toBe('/wall');
  });
});
