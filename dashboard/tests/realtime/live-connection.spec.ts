import { createPinia, setActivePinia } from 'pinia';
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SubscribeAck } from '@floorboard/shared';
import {
  LIVE_MAX_UPDATE_DELAY_MS,
  LIVE_SILENCE_LIMIT_MS,
  LIVE_UPDATES_PER_FRAME,
  LiveConnection,
  type LiveSocket,
} from '../../src/realtime/live-connection';
import { useLiveStore } from '../../src/stores/live';
import { countsUpdated, snapshotPayload, stateChanged } from '../support/fixtures';

type Handler = (...args: unknown[]) => void;

/** Stands in for a socket.io client socket: records what the client sends, lets the test play the server. */
class FakeSocket {
  connected = false;
  active = false;
  connectCalls = 0;
  sent: { event: string; lines: string[] }[] = [];
  answer: (event: string, lines: string[]) => SubscribeAck | 'timeout' = (_event, lines) => ({ ok: true, lines });
  private handlers = new Map<string, Handler[]>();
  private managerHandlers = new Map<string, Handler[]>();
  /** The socket.io manager: pings arrive here; closing its engine drops the connection (and socket.io retries). */
  io = {
    on: (event: string, handler: Handler) => {
      this.managerHandlers.set(event, [...(this.managerHandlers.get(event) ?? []), handler]);
    },
    off: (event: string) => this.managerHandlers.delete(event),
    engine: { close: () => this.drop('forced close') },
  };

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
    this.connectCalls += 1;
    return this;
  }
  disconnect() {
    const wasConnected = this.connected;
    this.active = false;
    this.connected = false;
    if (wasConnected) this.fire('disconnect', 'io client disconnect');
    return this;
  }
  emit(event: string, request: { lines: string[] }) {
    this.sent.push({ event, lines: request.lines });
    return this;
  }
  timeout() {
    return {
      emitWithAck: async (event: string, request: { lines: string[] }) => {
        this.sent.push({ event, lines: request.lines });
        const answer = this.answer(event, request.lines);
        if (answer === 'timeout') throw new Error('operation has timed out');
        return answer;
      },
    };
  }

  // The server's side.
  fire(event: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
  serverAccepts() {
    this.connected = true;
    this.fire('connect');
  }
  drop(reason = 'transport close') {
    this.connected = false;
    this.fire('disconnect', reason);
  }
  ping() {
    for (const handler of this.managerHandlers.get('ping') ?? []) handler();
  }
  subscribes() {
    return this.sent.filter((s) => s.event === 'subscribe').map((s) => s.lines);
  }
}

describe('LiveConnection', () => {
  let socket: FakeSocket;
  let live: ReturnType<typeof useLiveStore>;
  let onUnauthorized: () => void;
  let connection: LiveConnection;

  beforeEach(() => {
    vi.useFakeTimers();
    setActivePinia(createPinia());
    live = useLiveStore();
    socket = new FakeSocket();
    onUnauthorized = vi.fn();
    connection = new LiveConnection({
      live,
      getToken: () => 'tok',
      onUnauthorized,
      createSocket: () => socket as unknown as LiveSocket,
      maxUpdateDelayMs: 0,
      unsubscribeDelayMs: 1000,
    });
  });

  afterEach(() => {
    connection.stop();
    vi.useRealTimers();
  });

  it('connects, reports its status and subscribes the lines views need once connected', async () => {
    connection.retain(['assembly-1']);
    connection.start();
    expect(live.status).toBe('connecting');
    expect(socket.connectCalls).toBe(1);
    expect(socket.subscribes()).toEqual([]);

    socket.serverAccepts();
    await flushPromises();
    expect(live.status).toBe('live');
    expect(socket.subscribes()).toEqual([['assembly-1']]);

    connection.retain(['machining-2', 'assembly-1']);
    await flushPromises();
    expect(socket.subscribes()).toEqual([['assembly-1'], ['machining-2']]);
  });

  /** Replaces the suite's connection with one that batches as the dashboard does, live on assembly-1 (snapshot rev 10). */
  function startWithDefaultBatching(): void {
    connection.stop();
    connection = new LiveConnection({
      live,
      getToken: () => 'tok',
      onUnauthorized,
      createSocket: () => socket as unknown as LiveSocket,
    });
    connection.retain(['assembly-1']);
    connection.start();
    socket.serverAccepts();
    socket.fire('line:snapshot', snapshotPayload(10));
  }

  it('applies payloads in the next animation frame, a share per frame, and what waits before a lost connection', async () => {
    startWithDefaultBatching();
    socket.fire('station:state-changed', stateChanged(11, 'press', { state: 'blocked' }));
    expect(live.lines['assembly-1']).toBeUndefined();

    vi.advanceTimersByTime(16);
    expect(live.lines['assembly-1'].rev).toBe(11);
    expect(live.lines['assembly-1'].snapshot.stations[0].state).toBe('blocked');

    // A burst bigger than a frame's share: the first frame applies its share, in order, the next frame the rest.
    const burst = LIVE_UPDATES_PER_FRAME + 2;
    for (let i = 1; i <= burst; i++) socket.fire('station:counts-updated', countsUpdated(11 + i, 'press', i));
    vi.advanceTimersByTime(16);
    expect(live.lines['assembly-1'].rev).toBe(11 + LIVE_UPDATES_PER_FRAME);
    vi.advanceTimersByTime(16);
    expect(live.lines['assembly-1'].rev).toBe(11 + burst);
    expect(live.lines['assembly-1'].stale).toBe(false);

    // A delta still waiting when the connection drops is applied first, then everything is marked stale.
    socket.fire('station:counts-updated', countsUpdated(12 + burst, 'press', 99));
    socket.drop();
    expect(live.lines['assembly-1']).toMatchObject({ rev: 12 + burst, stale: true });
    expect(live.lines['assembly-1'].snapshot.stations[0].good).toBe(99);
    await flushPromises();
  });

  it('drops the payloads still waiting when it stops', () => {
    startWithDefaultBatching();
    connection.stop();
    vi.advanceTimersByTime(LIVE_MAX_UPDATE_DELAY_MS);
    expect(live.lines['assembly-1']).toBeUndefined();
  });

  it('writes snapshots and deltas into the live store, ignoring lines nobody asked for', async () => {
    connection.retain(['assembly-1']);
    connection.start();
    socket.serverAccepts();
    socket.fire('line:snapshot', snapshotPayload(10));
    socket.fire('station:state-changed', stateChanged(11, 'press', { state: 'blocked' }));
    socket.fire('station:counts-updated', countsUpdated(12, 'press', 7));
    socket.fire('line:snapshot', { ...snapshotPayload(1, { line: 'other' }), line: 'other' });
    await flushPromises();

    expect(live.lines['assembly-1'].rev).toBe(12);
    expect(live.lines['assembly-1'].snapshot.stations[0]).toMatchObject({ state: 'blocked', good: 7 });
    expect(live.lines.other).toBeUndefined();
  });

  it('re-subscribes a line once when its revs have a gap, and again after a later gap', async () => {
    connection.retain(['assembly-1']);
    connection.start();
    socket.serverAccepts();
    socket.fire('line:snapshot', snapshotPayload(10));
    socket.fire('station:state-changed', stateChanged(12, 'press'));
    socket.fire('station:counts-updated', countsUpdated(13, 'press', 1));
    await flushPromises();
    expect(socket.subscribes()).toEqual([['assembly-1'], ['assembly-1']]);
    expect(live.lines['assembly-1'].stale).toBe(true);

    socket.fire('line:snapshot', snapshotPayload(13));
    expect(live.lines['assembly-1'].stale).toBe(false);
    socket.fire('station:state-changed', stateChanged(15, 'press'));
    await flushPromises();
    expect(socket.subscribes()).toHaveLength(3);
  });

  it('marks data stale when the connection drops and re-subscribes everything on reconnect', async () => {
    connection.retain(['assembly-1', 'machining-2']);
    connection.start();
    socket.serverAccepts();
    socket.fire('line:snapshot', snapshotPayload(10));
    await flushPromises();

    socket.drop();
    expect(live.status).toBe('lost');
    expect(live.lines['assembly-1'].stale).toBe(true);

    socket.serverAccepts();
    await flushPromises();
    expect(live.status).toBe('live');
    expect(socket.subscribes().at(-1)).toEqual(['assembly-1', 'machining-2']);
    expect(live.lines['assembly-1'].stale).toBe(true);

    socket.fire('line:snapshot', snapshotPayload(2));
    expect(live.lines['assembly-1']).toMatchObject({ rev: 2, stale: false });
  });

  it('reconnects itself after the server closed the connection', () => {
    connection.start();
    socket.serverAccepts();
    socket.drop('io server disconnect');
    expect(socket.connectCalls).toBe(2);
  });

  it('retries a connection refused for another reason than auth', async () => {
    connection.start();
    socket.active = false;
    socket.fire('connect_error', new Error('SERVER_BUSY'));
    expect(live.status).toBe('lost');
    await vi.advanceTimersByTimeAsync(5000);
    expect(socket.connectCalls).toBe(2);
  });

  it('ends the session when the server refuses the token', () => {
    connection.retain(['assembly-1']);
    connection.start();
    socket.fire('connect_error', new Error('AUTH_REQUIRED'));
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(live.status).toBe('idle');
    expect(socket.active).toBe(false);
  });

  it('unsubscribes a line shortly after the last view lets go of it, unless one takes it again', async () => {
    connection.start();
    socket.serverAccepts();
    const releaseFirst = connection.retain(['assembly-1']);
    await flushPromises();
    socket.fire('line:snapshot', snapshotPayload(10));

    releaseFirst();
    const releaseSecond = connection.retain(['assembly-1']);
    await vi.advanceTimersByTimeAsync(2000);
    expect(socket.sent.filter((s) => s.event === 'unsubscribe')).toEqual([]);
    expect(socket.subscribes()).toEqual([['assembly-1']]);

    releaseSecond();
    await vi.advanceTimersByTimeAsync(2000);
    expect(socket.sent.filter((s) => s.event === 'unsubscribe')).toEqual([
      { event: 'unsubscribe', lines: ['assembly-1'] },
    ]);
    expect(live.lines['assembly-1']).toBeUndefined();
  });

  it('records a refused subscription and asks again when the server does not answer', async () => {
    socket.answer = (_event, lines) =>
      lines.includes('nope') ? { ok: false, code: 'LINE_NOT_FOUND', message: 'unknown line' } : 'timeout';
    connection.start();
    socket.serverAccepts();
    connection.retain(['nope']);
    await flushPromises();
    expect(live.subscribeErrors.nope).toBe('LINE_NOT_FOUND');

    socket.answer = () => 'timeout';
    connection.retain(['assembly-1']);
    await flushPromises();
    socket.answer = (_event, lines) => ({ ok: true, lines });
    // The server is alive (it pings) but did not acknowledge.
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(2000);
      socket.ping();
    }
    expect(socket.subscribes().filter((lines) => lines[0] === 'assembly-1')).toHaveLength(2);
  });

  it('renews the token once when the handshake is refused, then connects with the fresh one', async () => {
    const renewToken = vi.fn(async () => 'refreshed' as const);
    connection = new LiveConnection({
      live,
      getToken: () => 'tok',
      onUnauthorized,
      renewToken,
      createSocket: () => socket as unknown as LiveSocket,
      maxUpdateDelayMs: 0,
    });
    connection.start();
    socket.fire('connect_error', new Error('AUTH_TOKEN_EXPIRED'));
    await flushPromises();
    expect(renewToken).toHaveBeenCalledTimes(1);
    expect(socket.connectCalls).toBe(2);
    expect(onUnauthorized).not.toHaveBeenCalled();

    // Refused again with the renewed token: the session is over.
    socket.fire('connect_error', new Error('AUTH_REQUIRED'));
    await flushPromises();
    expect(renewToken).toHaveBeenCalledTimes(1);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(live.status).toBe('idle');
  });

  it('ends the session when the token cannot be renewed (a revoked display token)', async () => {
    connection = new LiveConnection({
      live,
      getToken: () => 'fbd_wall',
      onUnauthorized,
      renewToken: async () => 'rejected',
      createSocket: () => socket as unknown as LiveSocket,
      maxUpdateDelayMs: 0,
    });
    connection.retain(['assembly-1']);
    connection.start();
    socket.serverAccepts();
    socket.fire('line:snapshot', snapshotPayload(10));
    // The server closes the sockets of a revoked token; the reconnect is refused.
    socket.drop('io server disconnect');
    socket.fire('connect_error', new Error('AUTH_REQUIRED'));
    await flushPromises();
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(live.lines['assembly-1']).toBeUndefined();
  });

  it('keeps trying when the renewal cannot reach the server', async () => {
    connection = new LiveConnection({
      live,
      getToken: () => 'tok',
      onUnauthorized,
      renewToken: async () => 'unavailable',
      createSocket: () => socket as unknown as LiveSocket,
      maxUpdateDelayMs: 0,
    });
    connection.start();
    socket.active = false;
    socket.fire('connect_error', new Error('AUTH_TOKEN_EXPIRED'));
    await flushPromises();
    expect(onUnauthorized).not.toHaveBeenCalled();
    expect(live.status).toBe('lost');
    await vi.advanceTimersByTimeAsync(5000);
    expect(socket.connectCalls).toBe(2);
  });

  it('re-authenticates with a renewed token without showing the connection as lost', async () => {
    connection.retain(['assembly-1']);
    connection.start();
    socket.serverAccepts();
    socket.fire('line:snapshot', snapshotPayload(10));
    await flushPromises();

    connection.reauthenticate();
    expect(socket.connectCalls).toBe(2);
    expect(live.status).toBe('live');
    expect(live.lines['assembly-1'].stale).toBe(false);

    socket.serverAccepts();
    await flushPromises();
    expect(socket.subscribes()).toEqual([['assembly-1'], ['assembly-1']]);

    // A real drop afterwards is shown as usual.
    socket.drop();
    expect(live.status).toBe('lost');
  });

  it('declares a silent connection lost within the silence limit, marks lines stale and forces a reconnect', async () => {
    connection.retain(['assembly-1']);
    connection.start();
    socket.serverAccepts();
    socket.fire('line:snapshot', snapshotPayload(10));
    await flushPromises();

    // Pings every 2 s keep it live.
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(2000);
      socket.ping();
    }
    expect(live.status).toBe('live');

    // Then nothing at all, and no TCP close either.
    await vi.advanceTimersByTimeAsync(LIVE_SILENCE_LIMIT_MS);
    expect(live.status).toBe('live');
    await vi.advanceTimersByTimeAsync(300);
    expect(live.status).toBe('lost');
    expect(live.lines['assembly-1'].stale).toBe(true);
    expect(socket.connected).toBe(false);

    // socket.io reconnects; the fresh snapshot ends the stale marking.
    socket.serverAccepts();
    socket.fire('line:snapshot', snapshotPayload(3));
    await flushPromises();
    expect(live.status).toBe('live');
    expect(live.lines['assembly-1']).toMatchObject({ stale: false, rev: 3 });
  });

  it('counts payloads as signs of life, not only pings', async () => {
    connection.retain(['assembly-1']);
    connection.start();
    socket.serverAccepts();
    socket.fire('line:snapshot', snapshotPayload(10));
    for (let rev = 11; rev < 20; rev++) {
      await vi.advanceTimersByTimeAsync(1000);
      socket.fire('station:counts-updated', countsUpdated(rev, 'press', rev));
    }
    expect(live.status).toBe('live');
  });
});
