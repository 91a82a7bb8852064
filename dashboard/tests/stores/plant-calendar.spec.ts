import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureApiClient } from '../../src/api/client';
import { browserTimezone, usePlantCalendarStore } from '../../src/stores/plant-calendar';
import { errorResponse, jsonResponse, stubApi } from '../support/http';

const CALENDAR = {
  timezone: 'Asia/Kolkata',
  productionDayStart: '06:00',
  shifts: [{ name: 'Early', start: '06:00', end: '14:00' }],
};

describe('plant calendar store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureApiClient({ getToken: () => 'token' });
  });

  it('falls back to the browser zone, then loads the calendar once for parallel and later calls', async () => {
    const api = stubApi({ 'GET /plant/calendar': CALENDAR });
    const store = usePlantCalendarStore();
    expect(store.calendar).toBeNull();
    expect(store.timezone).toBe(browserTimezone());
    await Promise.all([store.load(), store.load()]);
    await store.load();
    expect(store.calendar).toEqual(CALENDAR);
    expect(store.timezone).toBe('Asia/Kolkata');
    expect(api.calls.filter((c) => c.path === '/plant/calendar')).toHaveLength(1);
  });

  it('tries again after a failed load', async () => {
    let fail = true;
    stubApi({
      'GET /plant/calendar': () => (fail ? errorResponse(503, 'UNAVAILABLE') : jsonResponse(200, CALENDAR)),
    });
    const store = usePlantCalendarStore();
    await expect(store.load()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(store.calendar).toBeNull();
    fail = false;
    await store.load();
    expect(store.timezone).toBe('Asia/Kolkata');
  });
});
