import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot, signInAs, signOut } from '../support/browser.js';
import { startSystem, type RunningSystem } from '../support/system.js';

/**
 * Issue 3 in a real browser against the real system: an admin creates a coordinator, who sees no admin
 * navigation and gets the not-allowed page for /users; a display token opens a chrome-free wall in a second
 * browser context until the admin revokes it; the audit log shows both changes.
 */
describe('dashboard: users, roles, wall tokens and the audit log in Chromium', () => {
  const coordinator = { username: `carla-${Date.now().toString(36)}`, password: 'coordinator-pass-1' };
  const tokenName = 'Hall 2 TV';
  let system: RunningSystem;
  let browser: Browser;
  let adminContext: BrowserContext;
  let admin: Page;
  let wallContext: BrowserContext | undefined;

  beforeAll(async () => {
    system = await startSystem({ simulator: true, simulatorSpeed: 1 });
    browser = await launchChromium();
    adminContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    admin = await adminContext.newPage();
  });

  afterAll(async () => {
    await wallContext?.close();
    await browser?.close();
    await system?.stop();
  });

  it('(a) an admin creates a coordinator, who sees no admin navigation and may not open /users', async () => {
    await signInAs(admin, system.httpUrl, 'admin', system.adminPassword);
    await admin.getByTestId('nav-users').click();
    await admin.getByTestId('users-view').waitFor();
    await admin.locator('[data-testid="user-row"][data-username="admin"]').waitFor();

    await admin.getByTestId('user-create-username').fill(coordinator.username);
    await admin.getByTestId('user-create-password').fill(coordinator.password);
    await admin.getByTestId('user-create-role').selectOption('coordinator');
    await admin.getByTestId('user-create-submit').click();
    const row = admin.locator(`[data-testid="user-row"][data-username="${coordinator.username}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-role')).toBe('coordinator');
    await expect(admin.getByTestId('users-notice').textContent()).resolves.toContain(coordinator.username);
    await screenshot(admin, 'admin-users');

    // The same view on a tablet (same browser context, so already signed in).
    const tablet = await adminContext.newPage();
    await tablet.setViewportSize({ width: 1024, height: 768 });
    await tablet.goto(`${system.httpUrl}/users`);
    await tablet.locator(`[data-testid="user-row"][data-username="${coordinator.username}"]`).waitFor();
    await screenshot(tablet, 'admin-users-tablet');
    await tablet.close();

    await signOut(admin);
    await signInAs(admin, system.httpUrl, coordinator.username, coordinator.password);
    await expect(admin.getByTestId('current-user').textContent()).resolves.toContain('coordinator');
    await admin.getByTestId('line-link-assembly-1').waitFor();
    expect(await admin.getByTestId('nav-overview').count()).toBe(1);
    for (const id of ['nav-users', 'nav-display-tokens', 'nav-ingest-tokens', 'nav-audit', 'nav-gateways']) {
      expect(await admin.getByTestId(id).count()).toBe(0);
    }

    await admin.goto(`${system.httpUrl}/users`);
    await admin.getByTestId('forbidden-view').waitFor();
    expect(new URL(admin.url()).pathname).toBe('/users');
    await expect(admin.getByTestId('forbidden-view').textContent()).resolves.toContain('Your role (coordinator)');
    expect(await admin.getByTestId('users-view').count()).toBe(0);
    await screenshot(admin, 'forbidden-coordinator');
    await signOut(admin);
  });

  it('(b) a display token opens a chrome-free wall in another browser until the admin revokes it', async () => {
    await signInAs(admin, system.httpUrl, 'admin', system.adminPassword);
    await admin.getByTestId('nav-display-tokens').click();
    await admin.getByTestId('display-token-name').fill(tokenName);
    await admin.getByTestId('display-token-create').click();
    await admin.getByTestId('display-token-created').waitFor();
    const wallUrl = await admin.getByTestId('display-token-usage').inputValue();
    const secret = await admin.getByTestId('display-token-secret').inputValue();
    expect(secret).toMatch(/^fbd_/);
    expect(wallUrl).toBe(`${system.httpUrl}/wall?kiosk&token=${encodeURIComponent(secret)}`);
    await screenshot(admin, 'admin-display-tokens');

    // A different browser profile: no person is signed in there.
    wallContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const wall = await wallContext.newPage();
    await wall.goto(wallUrl);
    await wall.getByTestId('wall-view').waitFor();
    await wall.waitForSelector('[data-testid="connection-status"][data-status="live"]');
    for (const [line, stations] of [
      ['assembly-1', 6],
      ['machining-2', 5],
    ] as const) {
      await wall.waitForFunction(
        ([key, count]) =>
          document.querySelectorAll(`[data-testid="wall-line-${key}"] [data-testid^="station-tile-"]`).length === count,
        [line, stations] as const,
        { timeout: 15_000 },
      );
    }
    // Kiosk: no header, no navigation, no sign-out; the token is gone from the address bar.
    expect(await wall.locator('header.app-header').count()).toBe(0);
    expect(await wall.locator('nav').count()).toBe(0);
    expect(await wall.getByTestId('logout').count()).toBe(0);
    expect(wall.url()).not.toContain('token');
    expect(wall.url()).toContain('kiosk');
    // Let the simulator move the tiles out of "offline" for a telling screenshot.
    await wall
      .waitForFunction(
        () =>
          [...document.querySelectorAll('[data-testid^="station-tile-"]')].every(
            (tile) => tile.getAttribute('data-state') !== 'offline',
          ),
        undefined,
        { timeout: 20_000 },
      )
      .catch(() => undefined);
    await screenshot(wall, 'wall-kiosk');

    // A reload keeps the screen signed in (the token is in localStorage).
    await wall.reload();
    await wall.getByTestId('wall-line-assembly-1').locator('[data-testid^="station-tile-"]').first().waitFor();

    const row = admin.locator(`[data-testid="display-token-row"][data-name="${tokenName}"]`);
    await row.getByTestId('display-token-revoke').click();
    await admin.getByTestId('confirm-ok').click();
    await admin.locator(`[data-testid="display-token-row"][data-name="${tokenName}"][data-revoked="true"]`).waitFor();

    await wall.getByTestId('wall-revoked').waitFor({ timeout: 15_000 });
    await expect(wall.getByTestId('wall-revoked').textContent()).resolves.toContain("This screen's access was revoked");
    expect(await wall.getByTestId('wall-view').count()).toBe(0);
    await screenshot(wall, 'wall-revoked');

    // Still revoked after a reload, not a login form.
    await wall.reload();
    await wall.getByTestId('wall-revoked').waitFor();
    expect(await wall.getByTestId('login-username').count()).toBe(0);
  });

  it('(c) the audit log lists the user creation and the token revocation of this run', async () => {
    await admin.getByTestId('nav-audit').click();
    await admin.getByTestId('audit-view').waitFor();
    await admin.locator('[data-testid="audit-row"]').first().waitFor();

    const revoked = admin.locator('[data-testid="audit-row"][data-action="display-token.revoked"]');
    await revoked.first().waitFor();
    await revoked.first().getByTestId('audit-toggle').click();
    await expect(admin.getByTestId('audit-diff').first().textContent()).resolves.toContain(tokenName);

    await admin.getByTestId('audit-action').fill('user.created');
    await admin.getByTestId('audit-apply').click();
    const created = admin.locator('[data-testid="audit-row"][data-action="user.created"]');
    await created.first().waitFor();
    const actions = await admin.$$eval('[data-testid="audit-row"]', (rows) =>
      rows.map((row) => row.getAttribute('data-action')),
    );
    expect(new Set(actions)).toEqual(new Set(['user.created']));
    await created.first().getByTestId('audit-toggle').click();
    const diff = admin.getByTestId('audit-diff').first();
    await expect(diff.textContent()).resolves.toContain(coordinator.username);
    await expect(diff.textContent()).resolves.toContain('coordinator');
    expect(await created.first().getAttribute('data-actor')).toBe('admin');

    await admin.getByTestId('audit-clear').click();
    const latestRevocation = admin.locator('[data-testid="audit-row"][data-action="display-token.revoked"]').first();
    await latestRevocation.getByTestId('audit-toggle').click();
    await admin.getByTestId('audit-diff').first().waitFor();
    await screenshot(admin, 'audit-log');
  });

  it('(d) an admin sees the running gateway listed as online on /gateways', async () => {
    await admin.getByTestId('nav-gateways').click();
    await admin.getByTestId('gateways-view').waitFor();
    // The gateway's first heartbeat may still be on its way; the page refreshes every 10 s.
    const row = admin.locator(`[data-testid="gateway-row"][data-gateway="${system.gatewayId}"]`);
    await row.waitFor({ timeout: 25_000 });
    expect(await row.getAttribute('data-status')).toBe('online');
    await expect(row.getByTestId('gateway-status').textContent()).resolves.toContain('online');
    await screenshot(admin, 'admin-gateways');
  });
});
