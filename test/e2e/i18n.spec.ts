import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from '../support/browser.js';
import { startSystem, type RunningSystem } from '../support/system.js';

const GERMAN_STATES = [
  'Produktion',
  'Leerlauf',
  'Materialmangel',
  'Blockiert',
  'Störung',
  'Rüsten',
  'Wartung',
  'Pause',
  'Offline',
];

/** The wall-clock time now in the demo plant's timezone, `HH:MM:SS`. */
function plantClockNow(): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(Date.now());
}

function minutesApart(a: string, b: string): number {
  const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
  const diff = Math.abs(minutes(a) - minutes(b));
  return Math.min(diff, 24 * 60 - diff);
}

/**
 * A wall TV link with `?lang=de`: the dashboard comes up in German under the server's real CSP (vue-i18n
 * compiles its messages without eval), keeps German after the sign-in, and the header switches back.
 */
describe('dashboard: German through ?lang=de in Chromium', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    system = await startSystem();
    browser = await launchChromium();
    // An English browser far from the plant: texts follow ?lang, clock times follow the plant (Europe/Berlin).
    page = await browser.newPage({
      viewport: { width: 1920, height: 1080 },
      locale: 'en-US',
      timezoneId: 'America/New_York',
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('shows the sign-in, the overview and a line view in German, then English after a switch', async () => {
    await page.goto(`${system.httpUrl}/login?lang=de`);
    await page.getByTestId('login-submit').waitFor();
    expect(await page.getByTestId('login-submit').textContent()).toContain('Anmelden');
    expect(await page.getAttribute('html', 'lang')).toBe('de');

    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(system.adminPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user').waitFor();
    expect(await page.getByTestId('nav-overview').textContent()).toContain('Werksübersicht');
    expect(await page.getByTestId('current-user').textContent()).toContain('Angemeldet als admin (Administrator)');
    expect(await page.getByTestId('logout').textContent()).toContain('Abmelden');
    await page.getByTestId('line-link-assembly-1').waitFor();
    expect(await page.getByTestId('line-link-assembly-1').textContent()).toContain('6 Stationen');
    await screenshot(page, 'i18n-overview-de');

    await page.getByTestId('line-link-assembly-1').click();
    await page.getByTestId('station-tile-weld').waitFor();
    const state = (await page.getByTestId('station-state-weld').textContent())?.trim();
    expect(GERMAN_STATES).toContain(state);
    const tile = await page.getByTestId('station-tile-weld').textContent();
    for (const label of ['Zeit im Zustand', 'Gutteile', 'Ausschuss']) expect(tile).toContain(label);
    const updated = await page.getByTestId('line-updated').textContent();
    expect(updated).toMatch(/^Aktualisiert \d\d:\d\d:\d\d$/);
    expect(minutesApart(updated!.slice(-8), plantClockNow())).toBeLessThanOrEqual(2);
    await screenshot(page, 'i18n-line-de');

    // A reload without ?lang keeps the saved choice.
    await page.reload();
    await page.getByTestId('station-tile-weld').waitFor();
    expect(await page.getByTestId('logout').textContent()).toContain('Abmelden');

    await page.getByTestId('locale-switch').selectOption('en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.getByTestId('logout').textContent()).toContain('Log out');
    expect(await page.getByTestId('nav-overview').textContent()).toContain('Plant overview');

    expect(problems).toEqual([]);
  });
});
