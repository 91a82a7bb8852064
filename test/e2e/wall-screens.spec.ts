import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { PlantFile } from '@floorboard/shared';
import { launchChromium, screenshot, signInAs } from '../support/browser.js';
import { startSystem, type RunningSystem } from '../support/system.js';

const STATION_NAMES = [
  'Press',
  'Weld',
  'Paint',
  'Assemble',
  'Test',
  'Pack',
  'Saw',
  'Mill',
  'Drill',
  'Deburr',
  'Inspect',
  'Label',
];

/** The biggest plant the wall promises on one 1080p screen: 12 lines of 12 stations. */
export function plant12x12(): PlantFile {
  return {
    timezone: 'Europe/Berlin',
    productionDayStart: '06:00',
    microStopSeconds: 120,
    shifts: [
      { name: 'Early', start: '06:00', end: '14:00' },
      { name: 'Late', start: '14:00', end: '22:00' },
      { name: 'Night', start: '22:00', end: '06:00' },
    ],
    lines: Array.from({ length: 12 }, (_, l) => ({
      key: `line-${String(l + 1).padStart(2, '0')}`,
      name: `Line ${String(l + 1).padStart(2, '0')}`,
      site: 'plant-a',
      idealCycleTimeSec: 30,
      stations: STATION_NAMES.map((name, s) => ({
        key: name.toLowerCase(),
        name,
        idealCycleTimeSec: 20 + ((l * 7 + s * 5) % 17),
      })),
    })),
  };
}

/** Every tile has live data and the page is laid out without scrolling; answers the tiles' count. */
async function waitForWall(page: Page, tiles: number): Promise<void> {
  await page.waitForFunction(
    (count) => {
      const all = [...document.querySelectorAll('[data-testid="wall-view"] [data-testid^="station-tile-"]')];
      return all.length === count && all.every((tile) => tile.getAttribute('data-state') !== 'offline');
    },
    tiles,
    { timeout: 60_000 },
  );
  await page.waitForSelector('[data-testid="wall-liveness"][data-status="live"]');
}

/** Everything of the wall inside the window: no scrolling, no tile cut off. */
async function fitsOnScreen(page: Page): Promise<{ scrolls: boolean; outside: number }> {
  return page.evaluate(() => {
    const root = document.scrollingElement!;
    const tiles = [...document.querySelectorAll('[data-testid^="station-tile-"]')];
    const outside = tiles.filter((tile) => {
      const box = tile.getBoundingClientRect();
      return box.bottom > window.innerHeight + 0.5 || box.right > window.innerWidth + 0.5 || box.height < 10;
    }).length;
    return { scrolls: root.scrollHeight > window.innerHeight + 1, outside };
  });
}

/** Screenshots for the README: the demo plant with the simulator, and a 12 × 12 plant, at 1080p and 4K. */
describe('dashboard: wall screen screenshots with the simulator', () => {
  let system: RunningSystem | undefined;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterEach(async () => {
    await system?.stop();
    system = undefined;
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the demo plant at 1920×1080 and 3840×2160, and the overview links every line', async () => {
    system = await startSystem({ simulator: true, simulatorSpeed: 1 });
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await signInAs(page, system.httpUrl, 'admin', system.adminPassword);
    await page.getByTestId('line-link-assembly-1').waitFor();
    await page.getByTestId('line-oee-assembly-1').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('overview-wall-link').getAttribute('href')).toBe('/wall');
    await screenshot(page, 'overview-demo-1080p');

    await page.goto(`${system.httpUrl}/wall?kiosk`);
    await waitForWall(page, 11);
    expect(await fitsOnScreen(page)).toEqual({ scrolls: false, outside: 0 });
    await screenshot(page, 'wall-demo-1080p');

    await page.setViewportSize({ width: 3840, height: 2160 });
    await page.waitForTimeout(300);
    expect(await fitsOnScreen(page)).toEqual({ scrolls: false, outside: 0 });
    await screenshot(page, 'wall-demo-4k');
    await page.close();
  });

  it('fits 12 lines of 12 stations on one 1080p screen without scrolling or paging, and on 4K', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floorboard-wall-'));
    const plantFile = path.join(dir, 'plant-12x12.json');
    fs.writeFileSync(plantFile, JSON.stringify(plant12x12()));
    try {
      system = await startSystem({ simulator: true, simulatorSpeed: 1, plantFile });
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      await signInAs(page, system.httpUrl, 'admin', system.adminPassword);
      await page.getByTestId('current-user').waitFor();
      await page.goto(`${system.httpUrl}/wall?kiosk`);
      await waitForWall(page, 144);
      expect(await page.locator('[data-testid^="wall-line-"]').count()).toBe(12);
      expect(await page.getByTestId('wall-page').count()).toBe(0);
      expect(await fitsOnScreen(page)).toEqual({ scrolls: false, outside: 0 });
      await screenshot(page, 'wall-12x12-1080p');

      await page.setViewportSize({ width: 3840, height: 2160 });
      await page.waitForTimeout(300);
      expect(await page.getByTestId('wall-page').count()).toBe(0);
      expect(await fitsOnScreen(page)).toEqual({ scrolls: false, outside: 0 });
      await screenshot(page, 'wall-12x12-4k');

      // A smaller window pages instead of scrolling.
      await page.setViewportSize({ width: 1280, height: 600 });
      await page.getByTestId('wall-page').waitFor();
      expect(await fitsOnScreen(page)).toEqual({ scrolls: false, outside: 0 });
      await page.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
