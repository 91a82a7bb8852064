import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GatewayStatus } from '@floorboard/shared';
import GatewaysView from '../../src/views/admin/GatewaysView.vue';
import { errorResponse, jsonResponse, stubApi } from '../support/http';
import { storeSession } from '../support/session';

const gateway = (id: string, overrides: Partial<GatewayStatus> = {}): GatewayStatus => ({
  gatewayId: id,
  version: '0.1.0',
  status: 'online',
  lastSeenAt: '2026-03-02T08:00:00.000Z',
  lastSeenAgoSeconds: 3.2,
  outboxDepth: 1234,
  oldestAgeSeconds: 12,
  dropped: 0,
  lastAckAt: '2026-03-02T07:59:59.000Z',
  lagSeconds: 12,
  reconnects: 2,
  rebirths: 1,
  mqttConnected: true,
  inputs: [],
  ...overrides,
});

describe('GatewaysView', () => {
  beforeEach(() => {
    localStorage.clear();
    storeSession('admin');
    setActivePinia(createPinia());
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const rows = (wrapper: ReturnType<typeof mount>) => wrapper.findAll('[data-testid="gateway-row"]');

  it('lists every gateway with status label, last seen, lag, outbox, dropped, reconnects and rebirths', async () => {
    stubApi({
      'GET /gateways': [
        gateway('gw-hall-1'),
        gateway('gw-hall-2', {
          status: 'offline',
          lastSeenAgoSeconds: 95,
          outboxDepth: 0,
          oldestAgeSeconds: null,
          lagSeconds: null,
          dropped: 7,
        }),
      ],
    });
    const wrapper = mount(GatewaysView);
    await flushPromises();
    expect(rows(wrapper).map((r) => [r.attributes('data-gateway'), r.attributes('data-status')])).toEqual([
      ['gw-hall-1', 'online'],
      ['gw-hall-2', 'offline'],
    ]);
    const cells = (i: number) =>
      rows(wrapper)
        .at(i)!
        .findAll('td')
        .map((td) => td.text());
    // The status is a text label, not only a colour.
    expect(cells(0)).toEqual(['gw-hall-1', '● online', '3.2 s ago', '12 s', '1,234', '12 s', '0', '2', '1']);
    expect(cells(1)).toEqual(['gw-hall-2', '○ offline', '95 s ago', '—', '0', '—', '7', '2', '1']);
    expect(rows(wrapper)[1].findAll('td')[6].classes()).toContain('warn');
    wrapper.unmount();
  });

  it('says so when no gateway has reported yet', async () => {
    stubApi({ 'GET /gateways': [] });
    const wrapper = mount(GatewaysView);
    await flushPromises();
    expect(wrapper.find('[data-testid="gateways-empty"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('refreshes every 10 s and stops when the page is left', async () => {
    vi.useFakeTimers();
    let status: GatewayStatus['status'] = 'online';
    const api = stubApi({ 'GET /gateways': () => jsonResponse(200, [gateway('gw-1', { status })]) });
    const wrapper = mount(GatewaysView);
    await flushPromises();
    expect(api.to('GET /gateways')).toHaveLength(1);
    status = 'offline';
    await vi.advanceTimersByTimeAsync(9_000);
    expect(api.to('GET /gateways')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await flushPromises();
    expect(api.to('GET /gateways')).toHaveLength(2);
    expect(rows(wrapper)[0].attributes('data-status')).toBe('offline');
    wrapper.unmount();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(api.to('GET /gateways')).toHaveLength(2);
  });

  it('keeps the last list and shows the error when a refresh fails', async () => {
    vi.useFakeTimers();
    let fail = false;
    stubApi({
      'GET /gateways': () => (fail ? errorResponse(503, 'SERVICE_UNAVAILABLE') : jsonResponse(200, [gateway('gw-1')])),
    });
    const wrapper = mount(GatewaysView);
    await flushPromises();
    fail = true;
    await vi.advanceTimersByTimeAsync(10_000);
    await flushPromises();
    expect(wrapper.find('[data-testid="gateways-error"]').exists()).toBe(true);
    expect(rows(wrapper)).toHaveLength(1);
    wrapper.unmount();
  });
});
