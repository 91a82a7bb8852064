import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { floorboardTopic } from '@floorboard/shared';
import { launchChromium, screenshot, signIn } from '../support/browser.js';
import { startSystem, type RunningSystem } from '../support/system.js';

/** A coordinator signs in, opens a line, and sees a station's tile change when the station publishes. */
describe('dashboard: live line view in Chromium', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  let publisher: MqttClient;

  beforeAll(async () => {
    system = await startSystem();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    publisher = await mqtt.connectAsync(system.mqttUrl, { protocolVersion: 4, clientId: `e2e-pub-${system.site}` });
  });

  afterAll(async () => {
    await publisher?.endAsync();
    await browser?.close();
    await system?.stop();
  });

  it('shows the tile change after a state change is published to the broker', async () => {
    await signIn(page, system.httpUrl, system.adminPassword);
    await page.getByTestId('line-link-assembly-1').click();
    const weld = page.getByTestId('station-tile-weld');
    await weld.waitFor();
    await page.waitForSelector('[data-testid="connection-status"][data-status="live"]');

    const ts = Date.now();
    await publisher.publishAsync(
      floorboardTopic({ site: 'plant-a', line: 'assembly-1', station: 'weld', channel: 'state' }),
      JSON.stringify({ ts, state: 'down', reason: 'tool breakage' }),
      { qos: 1 },
    );

    await page.waitForSelector('[data-testid="station-tile-weld"][data-state="down"]', { timeout: 10_000 });
    expect(await page.getByTestId('station-state-weld').textContent()).toMatch(/down/i);
    await expect(weld.textContent()).resolves.toContain('tool breakage');
    // Tiles stay in flow order.
    const order = await page.$$eval('[data-testid^="station-tile-"]', (tiles) =>
      tiles.map((t) => t.getAttribute('data-testid')!.replace('station-tile-', '')),
    );
    expect(order).toEqual(['press', 'weld', 'paint', 'assemble', 'test', 'pack']);
    await screenshot(page, 'e2e-station-down');
  });
});
