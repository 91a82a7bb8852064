import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, signIn } from '../support/browser.js';
import { startSystem, type RunningSystem } from '../support/system.js';

/** The demo plant as `npm start` shows it, simulator running: both lines move; screenshots for the docs. */
describe('dashboard: demo plant with the simulator', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    system = await startSystem({ simulator: true, simulatorSpeed: 1 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('shows both simulated lines moving', async () => {
    await signIn(page, system.httpUrl, system.adminPassword);
    for (const line of ['assembly-1', 'machining-2']) await page.getByTestId(`line-link-${line}`).waitFor();
    // Every station of both lines leaves "offline" once the simulator publishes.
    await page.waitForFunction(
      () => {
        const chips = [...document.querySelectorAll('[data-testid^="line-chip-"]')];
        return (
          chips.length === 11 &&
          chips.every((c) => !['offline', 'unknown'].includes(c.getAttribute('data-state') ?? ''))
        );
      },
      undefined,
      { timeout: 30_000 },
    );
    await screenshot(page, 'plant-overview');

    await page.getByTestId('line-link-assembly-1').click();
    await page.getByTestId('station-tile-paint').waitFor();
    // Parts flow: the output station's good count rises within a minute at real-time speed.
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="station-good-pack"]')?.textContent) > 0,
      undefined,
      {
        timeout: 90_000,
      },
    );
    await screenshot(page, 'line-live');
  });
});
