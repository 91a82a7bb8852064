import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { mergeAlert, useAlertsStore } from '../../src/stores/alerts';
import { T0 } from '../support/fixtures';
import { errorResponse, jsonResponse, stubApi } from '../support/http';
import { alert } from '../support/stops-fixtures';

const iso = (offsetS: number) => new Date(T0 + offsetS * 1000).toISOString();

describe('mergeAlert', () => {
  const open = alert('a');
  const acked = alert('a', { acknowledgedAt: iso(400), acknowledgedBy: 'carla' });
  const cleared = alert('a', { clearedAt: iso(500) });

  it.each([
    ['nothing known: the incoming copy', undefined, open, open],
    ['an older copy does not undo an acknowledgement', acked, open, acked],
    ['an older copy does not reopen a cleared alert', cleared, open, cleared],
    [
      'acknowledged then cleared: both kept',
      acked,
      cleared,
      { ...cleared, acknowledgedAt: iso(400), acknowledgedBy: 'carla' },
    ],
    ['cleared then acknowledged: both kept', cleared, acked, { ...acked, clearedAt: iso(500) }],
  ])('%s', (_name, known, incoming, expected) => {
    expect(mergeAlert(known, incoming)).toEqual(expected);
  });
});

describe('useAlertsStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('loads open and recent alerts; openFor gives a line its open ones newest first', async () => {
    const older = alert('older', { raisedAt: iso(100) });
    const newer = alert('newer', { station: 'weld', raisedAt: iso(200) });
    const otherLine = alert('other', { lines: ['paint-2'] });
    const gateway = alert('gw', {
      rule: 'gateway-offline',
      station: null,
      gatewayId: 'gw-1',
      lines: ['assembly-1', 'paint-2'],
      raisedAt: iso(50),
    });
    const cleared = alert('cleared', { clearedAt: iso(150) });
    const calls = stubApi({
      'GET /alerts': (call) =>
        jsonResponse(
          200,
          call.query.get('state') === 'open' ? [newer, older, otherLine, gateway] : [newer, cleared, older],
        ),
    });
    const store = useAlertsStore();
    await store.load();
    expect(
      calls
        .to('GET /alerts')
        .map((c) => c.query.get('state'))
        .sort(),
    ).toEqual(['all', 'open']);
    expect(store.openFor('assembly-1').map((a) => a.id)).toEqual(['newer', 'older', 'gw']);
    expect(store.openFor('paint-2').map((a) => a.id)).toEqual(['other', 'gw']);
    expect(store.recentFor('assembly-1').map((a) => a.id)).toEqual(['cleared']);
    expect(store.loaded).toBe(true);
  });

  it('a reload drops what the server no longer lists, but keeps what an event said meanwhile', async () => {
    let answer: (value: Response) => void = () => undefined;
    stubApi({
      'GET /alerts': (call) =>
        call.query.get('state') === 'open'
          ? new Promise<Response>((resolve) => (answer = resolve))
          : jsonResponse(200, []),
    });
    const store = useAlertsStore();
    store.applyAlert(alert('forgotten'));
    const loading = store.load();
    store.applyAlert(alert('raised-during-load', { raisedAt: iso(900) }));
    store.applyAlert(alert('acked', { acknowledgedAt: iso(800), acknowledgedBy: 'carla' }));
    answer(jsonResponse(200, [alert('acked')]));
    await loading;
    expect(Object.keys(store.alerts).sort()).toEqual(['acked', 'raised-during-load']);
    expect(store.alerts.acked!.acknowledgedBy).toBe('carla');
  });

  it('acknowledge stores the answer; a 409 reloads to learn who was quicker', async () => {
    const acked = alert('a', { acknowledgedAt: iso(400), acknowledgedBy: 'coordinator-1' });
    let conflict = false;
    stubApi({
      'POST /alerts/a/ack': () =>
        conflict ? errorResponse(409, 'ALERT_ALREADY_ACKNOWLEDGED') : jsonResponse(200, acked),
      'GET /alerts': jsonResponse(200, [alert('a', { acknowledgedAt: iso(300), acknowledgedBy: 'ines' })]),
    });
    const store = useAlertsStore();
    store.applyAlert(alert('a'));
    await store.acknowledge('a');
    expect(store.alerts.a!.acknowledgedBy).toBe('coordinator-1');

    store.reset();
    store.applyAlert(alert('a'));
    conflict = true;
    await expect(store.acknowledge('a')).rejects.toMatchObject({ code: 'ALERT_ALREADY_ACKNOWLEDGED' });
    await flushPromises();
    expect(store.alerts.a!.acknowledgedBy).toBe('ines');
  });
});
