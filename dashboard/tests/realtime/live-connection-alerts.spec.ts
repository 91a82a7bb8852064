import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertEventPayload } from '@floorboard/shared';
import { LiveConnection, type LiveSocket } from '../../src/realtime/live-connection';
import { useAlertsStore } from '../../src/stores/alerts';
import { useLiveStore } from '../../src/stores/live';
import { snapshotPayload, stateChanged, T0 } from '../support/fixtures';
import { jsonResponse, stubApi } from '../support/http';
import { alert } from '../support/stops-fixtures';

type Handler = (...args: unknown[]) => void;

/** Just enough of a socket.io client socket to play the server's side of `alert:*` events. */
class FakeSocket {
  connected = false;
  active = false;
  subscribes: string[][] = [];
  private handlers = new Map<string, Handler[]>();
  io = { on: () => undefined, off: () => undefined, engine: { close: () => this.drop() } };

  on(event: string, handler: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  removeAllListeners() {
    this.handlers.clear();
    return this;
  }
  connect() {
    this.active = true;
    return this;
  }
  disconnect() {
    this.connected = false;
    return this;
  }
  emit() {
    return this;
  }
  timeout() {
    return {
      emitWithAck: async (_event: string, request: { lines: string[] }) => {
        this.subscribes.push(request.lines);
        return { ok: true, lines: request.lines };
      },
    };
  }
  fire(event: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
  accept() {
    this.connected = true;
    this.fire('connect');
  }
  drop() {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
}

const alertEvent = (rev: number, overrides = {}): AlertEventPayload => ({
  line: 'assembly-1',
  ts: T0 + rev * 1000,
  rev,
  alert: alert('a1', overrides),
});

describe('LiveConnection and alerts', () => {
  let socket: FakeSocket;
  let connection: LiveConnection;
  let alertLoads: number;

  beforeEach(() => {
    vi.useFakeTimers();
    setActivePinia(createPinia());
    alertLoads = 0;
    stubApi({
      'GET /alerts': (call) => {
        if (call.query.get('state') === 'open') alertLoads += 1;
        return jsonResponse(200, []);
      },
    });
    socket = new FakeSocket();
    connection = new LiveConnection({
      live: useLiveStore(),
      alerts: useAlertsStore(),
      getToken: () => 'token',
      onUnauthorized: () => undefined,
      createSocket: () => socket as unknown as LiveSocket,
      maxUpdateDelayMs: 0,
      silenceLimitMs: 3_600_000,
    });
    connection.start();
    connection.retain(['assembly-1']);
    socket.accept();
  });

  afterEach(() => {
    connection.stop();
    vi.useRealTimers();
  });

  it('an alert event goes to the alerts store and takes its rev, so the next delta is no gap', async () => {
    await flushPromises();
    socket.fire('line:snapshot', snapshotPayload(10));
    socket.fire('alert:raised', alertEvent(11));
    socket.fire('station:state-changed', stateChanged(12, 'press'));
    await flushPromises();

    const live = useLiveStore();
    expect(live.lines['assembly-1']!.rev).toBe(12);
    expect(live.lines['assembly-1']!.stale).toBe(false);
    expect(live.lines['assembly-1']!.snapshot.stations[0]!.state).toBe('down');
    expect(
      useAlertsStore()
        .openFor('assembly-1')
        .map((a) => a.id),
    ).toEqual(['a1']);
    expect(socket.subscribes).toEqual([['assembly-1']]);

    socket.fire(
      'alert:acknowledged',
      alertEvent(13, { acknowledgedAt: new Date(T0).toISOString(), acknowledgedBy: 'ines' }),
    );
    socket.fire('alert:cleared', alertEvent(14, { clearedAt: new Date(T0).toISOString() }));
    expect(useAlertsStore().openFor('assembly-1')).toEqual([]);
    expect(useAlertsStore().recentFor('assembly-1')[0]!.acknowledgedBy).toBe('ines');
    expect(live.lines['assembly-1']!.rev).toBe(14);
  });

  it('a missed alert event is a gap: the line is subscribed again and the alerts reloaded', async () => {
    await flushPromises();
    const loadsAfterConnect = alertLoads;
    socket.fire('line:snapshot', snapshotPayload(10));
    socket.fire('alert:raised', alertEvent(12));
    await flushPromises();
    expect(socket.subscribes).toEqual([['assembly-1'], ['assembly-1']]);
    socket.fire('line:snapshot', snapshotPayload(12));
    await flushPromises();
    expect(alertLoads).toBe(loadsAfterConnect + 1);
  });

  it('reloads the alerts after every (re)connect', async () => {
    await flushPromises();
    expect(alertLoads).toBe(1);
    socket.drop();
    socket.accept();
    await flushPromises();
    expect(alertLoads).toBe(2);
  });
});
