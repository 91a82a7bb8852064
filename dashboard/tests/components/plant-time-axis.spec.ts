import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plantTimeLabel, plantTimeTicks } from '../../src/components/charts/plant-time-axis';
import { setLocale } from '../../src/locales/i18n';
import { usePlantCalendarStore } from '../../src/stores/plant-calendar';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ticks: number[]) => ticks.map((tick) => new Date(tick).toISOString().slice(0, 16));
/** The plant's zone, as the calendar store has it (the labels are formatted in it). */
function plant(timezone: string): string {
  usePlantCalendarStore().calendar = { timezone, productionDayStart: '06:00', shifts: [] };
  return timezone;
}
/** Ticks over [from, to] and a plot width in the plant's zone, as their labels. */
const labels = (from: number, to: number, width: number) =>
  plantTimeTicks(from, to, width, usePlantCalendarStore().timezone).map(plantTimeLabel);

describe('plantTimeTicks', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => setLocale('en'));

  it('puts hourly ticks on the plant’s whole hours, half past in UTC for Kolkata (+05:30)', () => {
    const from = Date.parse('2026-03-02T00:00:00+05:30');
    // 4 h over 600 px: a tick an hour.
    expect(iso(plantTimeTicks(from, from + 4 * HOUR, 600, 'Asia/Kolkata'))).toEqual([
      '2026-03-01T18:30',
      '2026-03-01T19:30',
      '2026-03-01T20:30',
      '2026-03-01T21:30',
      '2026-03-01T22:30',
    ]);
  });

  it('chooses a coarser round step when the plot is narrow, counted from the plant’s midnight', () => {
    const from = Date.parse('2026-03-02T00:00:00-06:00');
    // A day over 984 px: at most 10 ticks, so every 3 hours; midnight to midnight in Chicago.
    plant('America/Chicago');
    expect(labels(from, from + DAY, 984)).toEqual([
      'Mar 2',
      '03:00',
      '06:00',
      '09:00',
      '12:00',
      '15:00',
      '18:00',
      '21:00',
      'Mar 3',
    ]);
    // A week: one tick per plant midnight, labelled with the plant's date: 06:00 UTC in CST, 05:00 UTC once
    // Chicago has moved to CDT on 8 March.
    const week = plantTimeTicks(from, from + 7 * DAY, 984, 'America/Chicago');
    expect(iso(week)).toEqual([...[2, 3, 4, 5, 6, 7, 8].map((day) => `2026-03-0${day}T06:00`), '2026-03-09T05:00']);
    setLocale('de');
    expect(week.slice(0, 2).map(plantTimeLabel)).toEqual(['2. März', '3. März']);
  });

  it('ticks both readings of the repeated hour and skips the hour the clocks jump over (Berlin)', () => {
    plant('Europe/Berlin');
    expect(labels(Date.UTC(2026, 9, 24, 23), Date.UTC(2026, 9, 25, 3), 600)).toEqual([
      '01:00',
      '02:00 GMT+2',
      '02:00 GMT+1',
      '03:00',
      '04:00',
    ]);
    expect(labels(Date.UTC(2026, 2, 29, 0), Date.UTC(2026, 2, 29, 3), 400)).toEqual([
      '01:00',
      '03:00',
      '04:00',
      '05:00',
    ]);
  });

  it('has no ticks for an empty window', () => {
    expect(plantTimeTicks(1000, 1000, 600, 'UTC')).toEqual([]);
  });
});
