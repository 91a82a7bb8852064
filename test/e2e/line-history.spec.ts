import type { Browser, Page } from 'playwright-core';
import type { StationEvent, StationState } from '@floorboard/shared';
import { launchChromium, screenshot, signIn } from '../support/browser.js';
import { startSystem, type RunningSystem } from '../support/system.js';

const MIN = 60_000;
/** Early shift of production day 2 March 2026 in Berlin (UTC+1): 06:00–14:00 local. */
const SHIFT_START = Date.parse('2026-03-02T06:00:00+01:00');
const UPSTREAM = ['press', 'weld'];
const DOWNSTREAM = ['assemble', 'test', 'pack'];

/**
 * A scripted Early shift on assembly-1: paint never stops being active (running, one 20 min jam), so it is the
 * bottleneck the whole shift; the stations before it are blocked and the ones after it starved for 10 minutes
 * every half hour; test has one 5 min stop without a reason; pack counts 20 good every 15 minutes.
 */
function scriptedShift(gatewayId: string): StationEvent[] {
  let seq = 1;
  const event = (station: string, minute: number, patch: Partial<StationEvent>): StationEvent =>
    ({
      gatewayId,
      seq: seq++,
      line: 'assembly-1',
      station,
      ts: SHIFT_START + minute * MIN,
      type: 'state',
      source: 'floorboard-json',
      ...patch,
    }) as StationEvent;
  const state = (station: string, minute: number, value: StationState, reason?: string) =>
    event(station, minute, { state: value, ...(reason ? { reason } : {}) });
  const events: StationEvent[] = [];
  for (const station of [...UPSTREAM, 'paint', ...DOWNSTREAM]) events.push(state(station, 0, 'running'));
  for (let minute = 20; minute < 480; minute += 30) {
    for (const station of UPSTREAM) {
      events.push(state(station, minute, 'blocked'), state(station, minute + 10, 'running'));
    }
    for (const station of DOWNSTREAM) {
      events.push(state(station, minute, 'starved'), state(station, minute + 10, 'running'));
    }
  }
  events.push(state('paint', 180, 'down', 'jam'), state('paint', 200, 'running'));
  events.push(state('test', 300, 'down'), state('test', 305, 'running'));
  for (let minute = 14; minute < 480; minute += 15) {
    events.push(event('pack', minute, { type: 'count', good: 20, scrap: 0 }));
  }
  for (const station of [...UPSTREAM, 'paint', ...DOWNSTREAM]) events.push(state(station, 480, 'break'));
  return events;
}

/** A coordinator looks back at a production day and a shift: timeline, throughput, Pareto and bottleneck. */
describe('dashboard: line history charts in Chromium', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    system = await startSystem();
    const gatewayId = `e2e-history-${system.site}`;
    const res = await fetch(`${system.httpUrl}/api/v1/ingest/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${system.ingestToken}` },
      body: JSON.stringify({ gatewayId, events: scriptedShift(gatewayId) }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ rejected: [] });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('picks a production day, then a shift, and shows the charts with paint marked as the bottleneck', async () => {
    await signIn(page, system.httpUrl, system.adminPassword);
    await page.getByTestId('line-link-assembly-1').click();
    await page.getByTestId('range-picker').waitFor();

    await page.getByTestId('range-kind').selectOption('day');
    await page.getByTestId('range-date').fill('2026-03-02');
    await page.waitForSelector('[data-testid="range-label"]:has-text("Production day")');
    await page.waitForSelector('[data-testid="bottleneck-shares"][data-bottleneck="paint"]');

    await page.getByTestId('range-kind').selectOption('shift');
    await page.getByTestId('range-shift').selectOption('Early');
    await page.waitForFunction(() => location.search.includes('shift=Early'));
    await page.waitForSelector('[data-testid="range-label"]:has-text("Shift Early")');
    expect(new URL(page.url()).searchParams.toString()).toBe('range=shift&date=2026-03-02&shift=Early');

    // Timeline: every station of the line, with the intervals of the script.
    const timeline = page.getByTestId('state-timeline');
    await timeline.locator('canvas').first().waitFor();
    expect(Number(await timeline.getAttribute('data-received'))).toBeGreaterThan(6 * 16);
    const legend = await page.getByTestId('state-legend').locator('li').allTextContents();
    expect(legend.map((s) => s.trim())).toEqual(expect.arrayContaining(['Running', 'Starved', 'Blocked', 'Down']));

    // Bottleneck: paint, active the whole shift, is the sole bottleneck.
    expect(await page.getByTestId('bottleneck-station').textContent()).toContain('Paint');
    const paint = page.locator('[data-testid="bottleneck-row"][data-station="paint"]');
    expect(await paint.getAttribute('data-bottleneck')).toBe('true');
    expect(Number(await paint.getAttribute('data-sole'))).toBeCloseTo(1, 6);

    // Pareto: the 20 min jam, then the 5 min unclassified stop.
    const rows = page.locator('[data-testid="pareto-row"]');
    const pareto = await rows.evaluateAll((list) =>
      list.map((r) => [r.getAttribute('data-reason'), r.getAttribute('data-seconds')]),
    );
    expect(pareto).toEqual([
      ['jam', '1200'],
      ['', '300'],
    ]);
    await page.getByTestId('downtime-pareto').locator('canvas').first().waitFor();

    // Throughput: 32 counts of 20 good over 8 h = 80/h against a target of 3600 / 40 s = 90/h.
    expect(await page.getByTestId('kpi-good-scrap').textContent()).toContain('640');
    expect(await page.getByTestId('throughput-summary').textContent()).toContain('640 good');
    await page.getByTestId('line-history').evaluate((history) => history.scrollIntoView());
    await screenshot(page, 'e2e-line-history-1920x1080');

    // The link reproduces the view; a tablet gets one column.
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.reload();
    await page.waitForSelector('[data-testid="bottleneck-shares"][data-bottleneck="paint"]');
    await page.getByTestId('state-timeline').locator('canvas').first().waitFor();
    await page.getByTestId('line-history').evaluate((history) => history.scrollIntoView());
    await screenshot(page, 'e2e-line-history-tablet-820x1180');
  });
});
