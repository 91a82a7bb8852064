import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert, Role } from '@floorboard/shared';
import AlertList from '../../src/components/andon/AlertList.vue';
import { useAlertsStore } from '../../src/stores/alerts';
import { useLinesStore } from '../../src/stores/lines';
import { ASSEMBLY_SUMMARY, T0 } from '../support/fixtures';
import { errorResponse, jsonResponse, stubApi } from '../support/http';
import { storeSession } from '../support/session';
import { alert } from '../support/stops-fixtures';

const iso = (offsetS: number) => new Date(T0 + offsetS * 1000).toISOString();

describe('AlertList', () => {
  let alerts: Alert[];

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0 + 600_000);
    localStorage.clear();
    alerts = [
      alert('down-press', { raisedAt: iso(300) }),
      alert('offline-weld', { rule: 'station-offline', station: 'weld', raisedAt: iso(400) }),
      alert('acked', {
        station: 'paint',
        raisedAt: iso(200),
        acknowledgedAt: iso(250),
        acknowledgedBy: 'ines',
      }),
      alert('old', { station: 'paint', raisedAt: iso(10), clearedAt: iso(100) }),
      alert('elsewhere', { lines: ['paint-2'] }),
    ];
  });

  afterEach(() => vi.useRealTimers());

  async function mountAs(role: Role, ackAnswer?: Response) {
    storeSession(role);
    const pinia = createPinia();
    setActivePinia(pinia);
    useLinesStore().summaries = [ASSEMBLY_SUMMARY];
    const calls = stubApi({
      'GET /alerts': (call) =>
        jsonResponse(200, call.query.get('state') === 'open' ? alerts.filter((a) => !a.clearedAt) : alerts),
      'POST /alerts/down-press/ack': () =>
        ackAnswer?.clone() ??
        jsonResponse(200, { ...alerts[0], acknowledgedAt: iso(600), acknowledgedBy: `${role}-1` }),
    });
    const wrapper = mount(AlertList, { props: { lineKey: 'assembly-1' }, global: { plugins: [pinia] } });
    await flushPromises();
    return { wrapper, calls };
  }

  const rows = (w: Awaited<ReturnType<typeof mountAs>>['wrapper']) => w.findAll('[data-testid="alert-row"]');

  it("shows the line's open alerts newest first, with rule, station, since and acknowledgement", async () => {
    const { wrapper } = await mountAs('viewer');
    expect(rows(wrapper).map((r) => r.attributes('data-alert-id'))).toEqual(['offline-weld', 'down-press', 'acked']);
    const [weld, press, acked] = rows(wrapper);
    expect(weld!.text()).toContain('Station offline');
    expect(weld!.text()).toContain('Station: Weld');
    expect(press!.text()).toContain('Station down');
    // Since 08:00:00, ten minutes ago, and ticking.
    expect(press!.get('[data-testid="alert-since"]').text()).toContain('10m 00s');
    await vi.advanceTimersByTimeAsync(2000);
    expect(press!.get('[data-testid="alert-since"]').text()).toContain('10m 02s');
    expect(press!.text()).toContain('Not acknowledged');
    expect(acked!.get('[data-testid="alert-acknowledged"]').text()).toContain('Acknowledged by ines');
    expect(wrapper.findAll('[data-testid="alert-recent"]').map((r) => r.attributes('data-alert-id'))).toEqual(['old']);
    wrapper.unmount();
  });

  it.each<[Role, number]>([
    ['viewer', 0],
    ['coordinator', 2],
    ['manager', 2],
  ])('%s sees %i Acknowledge buttons', async (role, buttons) => {
    const { wrapper } = await mountAs(role);
    expect(wrapper.findAll('[data-testid="alert-ack"]')).toHaveLength(buttons);
    wrapper.unmount();
  });

  it('a coordinator acknowledges; the row then says who and when', async () => {
    const { wrapper, calls } = await mountAs('coordinator');
    const press = () => wrapper.get('[data-alert-id="down-press"]');
    await press().get('[data-testid="alert-ack"]').trigger('click');
    await flushPromises();
    expect(calls.to('POST /alerts/down-press/ack')).toHaveLength(1);
    expect(press().attributes('data-acknowledged')).toBe('true');
    expect(press().get('[data-testid="alert-acknowledged"]').text()).toContain('coordinator-1');
    expect(press().find('[data-testid="alert-ack"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('explains an acknowledgement someone else made first', async () => {
    const { wrapper } = await mountAs('coordinator', errorResponse(409, 'ALERT_ALREADY_ACKNOWLEDGED'));
    await wrapper.get('[data-alert-id="down-press"] [data-testid="alert-ack"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="alert-error"]').text()).toBe('Someone else has already acknowledged this alert.');
    wrapper.unmount();
  });

  it('describes the line rules by their rate and by where the bottleneck went', async () => {
    alerts = [
      alert('slow', { rule: 'line-below-target', station: null, percentOfTarget: 62.5, raisedAt: iso(500) }),
      alert('moved', { rule: 'bottleneck-moved', station: 'paint', fromStation: 'weld', raisedAt: iso(400) }),
    ];
    const { wrapper } = await mountAs('viewer');
    const [slow, moved] = rows(wrapper);
    expect(slow!.text()).toContain('Line below target');
    expect(slow!.text()).toContain('Good rate at 62.5 % of target');
    expect(moved!.text()).toContain('Bottleneck moved');
    expect(moved!.text()).toContain('From Weld to Paint');
    wrapper.unmount();
  });

  it('follows the store when an event raises or clears an alert', async () => {
    const { wrapper } = await mountAs('viewer');
    const store = useAlertsStore();
    store.applyAlert(alert('new', { station: 'press', raisedAt: iso(590) }));
    store.applyAlert({ ...alerts[1]!, clearedAt: iso(595) });
    await flushPromises();
    expect(rows(wrapper).map((r) => r.attributes('data-alert-id'))).toEqual(['new', 'down-press', 'acked']);
    expect(wrapper.findAll('[data-testid="alert-recent"]').map((r) => r.attributes('data-alert-id'))).toEqual([
      'offline-weld',
      'old',
    ]);
    wrapper.unmount();
  });
});
