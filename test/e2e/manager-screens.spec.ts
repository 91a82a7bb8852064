import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { floorboardTopic, type AndonRule, type StopReason } from '@floorboard/shared';
import { launchChromium, screenshot, signInAs } from '../support/browser.js';
import { login, startSystem, type RunningSystem } from '../support/system.js';

const MINUTE = 60_000;

/**
 * The manager screens in Chromium against the real system: a manager (created by the admin through the API)
 * finds both pages in the header, changes the station-down threshold and the line-below-target percentage,
 * reloads and finds them kept (and the API agrees); adds a reason under Mechanical, which a stop's reason
 * picker on the line view then offers and which classifies the stop.
 */
describe('dashboard: andon rules and the stop reason catalogue for a manager', () => {
  const manager = { username: `mona-${Date.now().toString(36)}`, password: 'manager-pass-123' };
  let system: RunningSystem;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let publisher: MqttClient;
  let adminToken: string;
  let base: number;

  const publishState = (station: string, ts: number, state: string) =>
    publisher.publishAsync(
      floorboardTopic({ site: 'plant-a', line: 'assembly-1', station, channel: 'state' }),
      JSON.stringify({ ts, state }),
      { qos: 1 },
    );

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${system.httpUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    system = await startSystem();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    publisher = await mqtt.connectAsync(system.mqttUrl, { protocolVersion: 4, clientId: `e2e-mgr-${system.site}` });

    adminToken = await login(system.httpUrl, system.adminPassword);
    const created = await fetch(`${system.httpUrl}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ ...manager, role: 'manager' }),
    });
    expect(created.status).toBe(201);

    // One ended stop without a reason: weld down for 4 minutes.
    base = Math.floor(Date.now() / 1000) * 1000;
    await publishState('weld', base - 20 * MINUTE, 'running');
    await publishState('weld', base - 14 * MINUTE, 'down');
    await publishState('weld', base - 10 * MINUTE, 'running');
  });

  afterAll(async () => {
    await publisher?.endAsync();
    await context?.close();
    await browser?.close();
    await system?.stop();
  });

  const rule = (kind: string) => page.locator(`[data-testid="andon-rule"][data-kind="${kind}"]`);

  it('changes the station-down threshold and the line-below-target percentage, kept after a reload', async () => {
    await signInAs(page, system.httpUrl, manager.username, manager.password);
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    await page.getByTestId('nav-andon-rules').click();
    await rule('station-down').waitFor();
    expect(await rule('station-down').getByTestId('andon-rule-minutes').inputValue()).toBe('5');
    expect(await rule('line-below-target').getByTestId('andon-rule-percent').inputValue()).toBe('80');

    // A percentage out of range is refused on the page, before anything is sent.
    await rule('line-below-target').getByTestId('andon-rule-percent').fill('120');
    await expect(rule('line-below-target').getByTestId('andon-rule-problem').textContent()).resolves.toBe(
      'Enter a whole percentage from 1 to 100.',
    );
    expect(await page.getByTestId('andon-rules-save').isDisabled()).toBe(true);

    await rule('station-down').getByTestId('andon-rule-minutes').fill('2');
    await rule('station-down').getByTestId('andon-rule-seconds').fill('30');
    await rule('line-below-target').getByTestId('andon-rule-percent').fill('70');
    await expect(rule('line-below-target').getByTestId('andon-rule-explain').textContent()).resolves.toContain(
      'it clears at 75 %',
    );
    await page.getByTestId('andon-rules-save').click();
    await expect(page.getByTestId('andon-rules-notice').textContent()).resolves.toBe('Andon rules saved (2 changed).');
    await page.getByTestId('andon-rules-notice').scrollIntoViewIfNeeded();
    await screenshot(page, 'manager-andon-rules-saved');

    await page.reload();
    await rule('station-down').waitFor();
    await screenshot(page, 'manager-andon-rules');
    expect(await rule('station-down').getByTestId('andon-rule-minutes').inputValue()).toBe('2');
    expect(await rule('station-down').getByTestId('andon-rule-seconds').inputValue()).toBe('30');
    expect(await rule('line-below-target').getByTestId('andon-rule-percent').inputValue()).toBe('70');
    await expect(rule('station-down').getByTestId('andon-rule-explain').textContent()).resolves.toContain(
      'after 2m 30s',
    );

    const rules = await api<AndonRule[]>('/andon/rules');
    expect(rules.find((r) => r.kind === 'station-down')).toMatchObject({ enabled: true, thresholdSeconds: 150 });
    expect(rules.find((r) => r.kind === 'line-below-target')).toMatchObject({ thresholdPercent: 70 });
  });

  it('adds a reason under Mechanical that the stop reason picker then offers', async () => {
    await page.getByTestId('nav-reasons').click();
    await page.locator('[data-testid="reason-row"][data-key="mechanical"]').waitFor();
    await page.getByTestId('reason-create-name').fill('Belt slip');
    expect(await page.getByTestId('reason-create-key').inputValue()).toBe('belt-slip');
    await page.getByTestId('reason-create-parent').selectOption('mechanical');
    await page.getByTestId('reason-create-submit').click();
    const row = page.locator('[data-testid="reason-row"][data-key="belt-slip"]');
    await row.waitFor();
    expect(await row.getAttribute('data-parent')).toBe('mechanical');
    expect(await row.getAttribute('data-bucket')).toBe('availability');
    await expect(page.getByTestId('reasons-notice').textContent()).resolves.toBe(
      '“Belt slip” was added under “Mechanical”.',
    );
    await screenshot(page, 'manager-reasons');

    const reasons = await api<StopReason[]>('/reasons');
    expect(reasons.find((r) => r.key === 'belt-slip')).toEqual({
      key: 'belt-slip',
      name: 'Belt slip',
      parent: 'mechanical',
      category: 'unplanned',
      oeeBucket: 'availability',
    });

    // The line view's reason picker offers it under Mechanical, and it classifies the stop.
    const from = new Date(base - 30 * MINUTE).toISOString();
    const to = new Date(base + 60 * MINUTE).toISOString();
    await page.goto(`${system.httpUrl}/lines/assembly-1?from=${from}&to=${to}`);
    const stop = page.locator('[data-testid="stop-row"][data-station="weld"]');
    await stop.waitFor({ timeout: 20_000 });
    await stop.getByTestId('stop-classify').click();
    await page.getByTestId('classify-dialog').waitFor();
    const option = page.getByTestId('reason-family-mechanical').getByTestId('reason-option-belt-slip');
    await option.waitFor();
    await option.scrollIntoViewIfNeeded();
    await screenshot(page, 'manager-reason-in-picker');
    await option.click();
    await page.getByTestId('classify-dialog').waitFor({ state: 'detached' });
    await page.locator('[data-testid="stop-row"][data-station="weld"][data-reason="belt-slip"]').waitFor();
    await expect(stop.getByTestId('stop-reason').textContent()).resolves.toBe('Mechanical › Belt slip');
  });
});
