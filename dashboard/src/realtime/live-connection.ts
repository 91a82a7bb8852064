import { io, type Socket } from 'socket.io-client';
import {
  LIVE_NAMESPACE,
  type AlertEventPayload,
  type ClientToServerEvents,
  type LineEnvelope,
  type ServerToClientEvents,
  type SubscribeAck,
} from '@floorboard/shared';
import type { RefreshOutcome } from '../api/client';
import type { AlertsStore } from '../stores/alerts';
import type { ApplyResult } from '../stores/live-rules';
import type { LiveStore } from '../stores/live';
import { SilenceWatchdog } from './silence-watchdog';
import { UpdateBatcher } from './update-batcher';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The parts of the live store the connection writes to. */
export type LiveSink = Pick<
  LiveStore,
  | 'applySnapshot'
  | 'applyStateChanged'
  | 'applyCountsUpdated'
  | 'applyMetricsUpdated'
  | 'applyRevOnly'
  | 'setStatus'
  | 'markAllStale'
  | 'setSubscribeError'
  | 'forget'
  | 'reset'
>;

/** The parts of the alerts store the connection writes to. */
export type AlertsSink = Pick<AlertsStore, 'applyAlert' | 'load' | 'reset'>;

export interface LiveConnectionOptions {
  live: LiveSink;
  /** Fed with `alert:*` events and reloaded after a (re)connect or a resync, when events may have been missed. */
  alerts?: AlertsSink;
  /** Read on every (re)connect, so a new session's token is used without rebuilding the connection. */
  getToken: () => string | null;
  /** The server refused the token and it could not be renewed: the session is over. */
  onUnauthorized: () => void;
  /**
   * Asked once when the handshake is refused for the token (expired, unknown). `refreshed`: a fresh token is in
   * place, the connection tries again with it; `unavailable`: the server could not be asked, try again later;
   * `rejected`: the session is over. Without it a refusal ends the session at once.
   */
  renewToken?: () => Promise<RefreshOutcome>;
  createSocket?: (getToken: () => string | null) => LiveSocket;
  /** How long a line nobody watches stays subscribed, so moving between views does not churn subscriptions. */
  unsubscribeDelayMs?: number;
  ackTimeoutMs?: number;
  /** Silence after which a connected socket counts as lost (see SilenceWatchdog). */
  silenceLimitMs?: number;
  /** Payloads applied per animation frame (more when they are due); see UpdateBatcher. */
  updatesPerFrame?: number;
  /** No payload waits longer than this to be applied (0: each at once). */
  maxUpdateDelayMs?: number;
}

/**
 * The server pings every 2 s; 4 s without a ping or payload is a silent drop. With the watchdog's 250 ms
 * checks the screen says so at most ~4.3 s after the last thing heard, inside the 5 s the wall promises.
 */
export const LIVE_SILENCE_LIMIT_MS = 4000;

/**
 * Live payloads are applied in animation frames, this many per frame, so a wall with 144 stations changing every
 * second re-renders once per frame instead of once per payload, and the server's bursts (some 30 payloads every
 * tenth of a second) are spread over a few frames instead of making one long frame.
 */
export const LIVE_UPDATES_PER_FRAME = 10;

/** …but none waits longer than this: a quarter of a second is not seen on a wall. */
export const LIVE_MAX_UPDATE_DELAY_MS = 250;

/** The server's handshake refusal for a missing, expired or invalid token. */
export const AUTH_REQUIRED = 'AUTH_REQUIRED';

/** Handshake refusals that are about the token (`AUTH_REQUIRED`, `AUTH_TOKEN_EXPIRED`, …), not the network. */
function isAuthRefusal(error: Error): boolean {
  return error.message.startsWith('AUTH_');
}

/** Same origin as the page; the Vite dev server proxies `/socket.io` to the API server. */
export function createLiveSocket(getToken: () => string | null): LiveSocket {
  return io(LIVE_NAMESPACE, {
    path: '/socket.io',
    autoConnect: false,
    auth: (callback) => callback({ token: getToken() ?? '' }),
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10_000,
    randomizationFactor: 0.5,
  });
}

/**
 * The dashboard's one socket.io connection to `/live`. Views declare which lines they need with `retain`;
 * the connection subscribes them, writes snapshots and deltas into the live store, asks for a fresh
 * snapshot when a line's revs have a gap, and subscribes everything again after a reconnect.
 */
export class LiveConnection {
  private socket: LiveSocket | null = null;
  /** How many views currently need each line. */
  private readonly interest = new Map<string, number>();
  /** Lines nobody needs any more, still subscribed until their timer fires. */
  private readonly releaseTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Lines waiting for the fresh snapshot a re-subscribe asked for. */
  private readonly resyncing = new Set<string>();
  /** Pending reconnect after a refused handshake. */
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Pending repeats of subscriptions the server did not acknowledge in time. */
  private readonly retryTimers = new Set<ReturnType<typeof setTimeout>>();
  /** A deliberate reconnect with a renewed token is under way: the short disconnect is not a lost connection. */
  private reauthenticating = false;
  /** The token was renewed after a refusal; a second refusal before connecting ends the session. */
  private renewedSinceConnect = false;

  private readonly live: LiveSink;
  private readonly alerts: AlertsSink | undefined;
  private readonly getToken: () => string | null;
  private readonly onUnauthorized: () => void;
  private readonly renewToken: (() => Promise<RefreshOutcome>) | undefined;
  private readonly createSocket: (getToken: () => string | null) => LiveSocket;
  private readonly unsubscribeDelayMs: number;
  private readonly ackTimeoutMs: number;
  private readonly watchdog: SilenceWatchdog;
  /** Line payloads and alerts wait here, in arrival order, until their animation frame applies them. */
  private readonly updates: UpdateBatcher;

  constructor(options: LiveConnectionOptions) {
    this.live = options.live;
    this.alerts = options.alerts;
    this.getToken = options.getToken;
    this.onUnauthorized = options.onUnauthorized;
    this.renewToken = options.renewToken;
    this.createSocket = options.createSocket ?? createLiveSocket;
    this.unsubscribeDelayMs = options.unsubscribeDelayMs ?? 5000;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.watchdog = new SilenceWatchdog(options.silenceLimitMs ?? LIVE_SILENCE_LIMIT_MS, () => this.handleSilence());
    this.updates = new UpdateBatcher({
      perFrame: options.updatesPerFrame ?? LIVE_UPDATES_PER_FRAME,
      maxDelayMs: options.maxUpdateDelayMs ?? LIVE_MAX_UPDATE_DELAY_MS,
    });
  }

  start(): void {
    if (this.socket) return;
    const socket = this.createSocket(this.getToken);
    this.socket = socket;
    this.live.setStatus('connecting');

    socket.on('connect', () => this.handleConnect());
    socket.on('disconnect', (reason) => this.handleDisconnect(reason));
    socket.on('connect_error', (error) => this.handleConnectError(error));
    // Pings arrive on the manager, not on the namespace socket.
    socket.io.on('ping', () => this.watchdog.heard());
    // Payloads are heard at once (the watchdog) but applied in a later animation frame; whether a line is still
    // wanted is asked when it is applied.
    socket.on('line:snapshot', (payload) => {
      this.watchdog.heard();
      this.updates.push(() => {
        if (!this.isWanted(payload.line)) return;
        if (this.live.applySnapshot(payload) === 'applied' && this.resyncing.delete(payload.line)) this.reloadAlerts();
      });
    });
    socket.on('station:state-changed', (payload) => {
      this.watchdog.heard();
      this.updates.push(() => {
        if (this.isWanted(payload.line)) this.afterDelta(payload, this.live.applyStateChanged(payload));
      });
    });
    socket.on('station:counts-updated', (payload) => {
      this.watchdog.heard();
      this.updates.push(() => {
        if (this.isWanted(payload.line)) this.afterDelta(payload, this.live.applyCountsUpdated(payload));
      });
    });
    socket.on('line:metrics-updated', (payload) => {
      this.watchdog.heard();
      this.updates.push(() => {
        if (this.isWanted(payload.line)) this.afterDelta(payload, this.live.applyMetricsUpdated(payload));
      });
    });
    socket.on('alert:raised', (payload) => this.handleAlert(payload));
    socket.on('alert:cleared', (payload) => this.handleAlert(payload));
    socket.on('alert:acknowledged', (payload) => this.handleAlert(payload));
    socket.on('error', (payload) => console.warn(`live: server error ${payload.code}: ${payload.message}`));

    socket.connect();
  }

  /** Closes the connection and forgets all live data (sign-out). Views' interest is kept for the next start. */
  stop(): void {
    const socket = this.socket;
    this.socket = null;
    this.watchdog.stop();
    this.updates.clear();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryTimers.forEach((timer) => clearTimeout(timer));
    this.retryTimers.clear();
    for (const timer of this.releaseTimers.values()) clearTimeout(timer);
    this.releaseTimers.clear();
    this.resyncing.clear();
    this.reauthenticating = false;
    this.renewedSinceConnect = false;
    if (socket) {
      socket.removeAllListeners();
      socket.io.off('ping');
      socket.disconnect();
    }
    this.live.reset();
    this.alerts?.reset();
  }

  /**
   * The session renewed its token: connect again with it, so the server checks the fresh token (and role).
   * Live data stays on screen; the lines' fresh snapshots follow the reconnect.
   */
  reauthenticate(): void {
    const socket = this.socket;
    // Not connected: the next (re)connect reads the current token anyway.
    if (!socket?.connected) return;
    this.reauthenticating = true;
    socket.disconnect();
    socket.connect();
  }

  /** Declares that a view needs live data for `lines`. Call the returned function when it no longer does. */
  retain(lines: readonly string[]): () => void {
    const unique = [...new Set(lines)];
    const added: string[] = [];
    for (const line of unique) {
      const count = this.interest.get(line) ?? 0;
      this.interest.set(line, count + 1);
      const pending = this.releaseTimers.get(line);
      if (pending) {
        clearTimeout(pending);
        this.releaseTimers.delete(line);
      } else if (count === 0) {
        added.push(line);
      }
    }
    void this.subscribe(added);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      unique.forEach((line) => this.release(line));
    };
  }

  private release(line: string): void {
    const count = (this.interest.get(line) ?? 0) - 1;
    if (count > 0) {
      this.interest.set(line, count);
      return;
    }
    this.interest.delete(line);
    const timer = setTimeout(() => {
      this.releaseTimers.delete(line);
      this.resyncing.delete(line);
      if (this.socket?.connected) this.socket.emit('unsubscribe', { lines: [line] });
      this.live.forget(line);
    }, this.unsubscribeDelayMs);
    this.releaseTimers.set(line, timer);
  }

  private isWanted(line: string): boolean {
    return this.interest.has(line) || this.releaseTimers.has(line);
  }

  private async subscribe(lines: string[]): Promise<void> {
    const socket = this.socket;
    // Not connected yet: `handleConnect` subscribes every wanted line.
    if (lines.length === 0 || !socket?.connected) return;
    let ack: SubscribeAck;
    try {
      ack = await socket.timeout(this.ackTimeoutMs).emitWithAck('subscribe', { lines });
    } catch {
      if (socket !== this.socket) return;
      // No answer in time: ask again shortly for the lines still wanted (a reconnect does that by itself).
      lines.forEach((line) => this.resyncing.delete(line));
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        void this.subscribe(lines.filter((line) => this.interest.has(line)));
      }, this.ackTimeoutMs / 2);
      this.retryTimers.add(timer);
      return;
    }
    if (socket !== this.socket || ack.ok) return;
    for (const line of lines) {
      this.resyncing.delete(line);
      this.live.setSubscribeError(line, ack.code);
    }
  }

  /** An alert event carries the line's next rev like any delta; the alert itself is current whatever the rev. */
  private handleAlert(payload: AlertEventPayload): void {
    this.watchdog.heard();
    this.updates.push(() => {
      this.alerts?.applyAlert(payload.alert);
      if (this.isWanted(payload.line)) this.afterDelta(payload, this.live.applyRevOnly(payload));
    });
  }

  private reloadAlerts(): void {
    this.alerts?.load().catch((error: unknown) => console.warn(`live: alerts could not be reloaded: ${String(error)}`));
  }

  private afterDelta(payload: LineEnvelope, result: ApplyResult): void {
    if (result !== 'gap' || this.resyncing.has(payload.line)) return;
    this.resyncing.add(payload.line);
    void this.subscribe([payload.line]);
  }

  private handleConnect(): void {
    // What the previous connection delivered comes first.
    this.updates.flush();
    this.reauthenticating = false;
    this.renewedSinceConnect = false;
    this.live.setStatus('live');
    this.watchdog.start();
    this.resyncing.clear();
    // The server forgot our subscriptions; lines on their way out are simply dropped now.
    for (const [line, timer] of this.releaseTimers) {
      clearTimeout(timer);
      this.live.forget(line);
    }
    this.releaseTimers.clear();
    void this.subscribe([...this.interest.keys()]);
    this.reloadAlerts();
  }

  private handleDisconnect(reason: Socket.DisconnectReason): void {
    this.watchdog.stop();
    this.updates.flush();
    if (this.reauthenticating && reason === 'io client disconnect') return;
    this.live.setStatus('lost');
    this.live.markAllStale();
    // After a server-side disconnect socket.io does not reconnect by itself.
    if (reason === 'io server disconnect') this.socket?.connect();
  }

  /**
   * Nothing heard for too long while connected: say so now, then close the transport so socket.io
   * reconnects and every line comes back with a fresh snapshot.
   */
  private handleSilence(): void {
    const socket = this.socket;
    if (!socket?.connected) return;
    this.updates.flush();
    this.live.setStatus('lost');
    this.live.markAllStale();
    socket.io.engine.close();
  }

  private handleConnectError(error: Error): void {
    const socket = this.socket;
    if (!socket) return;
    this.reauthenticating = false;
    if (isAuthRefusal(error)) {
      void this.handleRefusal(socket);
      return;
    }
    this.live.setStatus('lost');
    this.live.markAllStale();
    this.retryLater(socket);
  }

  /** The server refused the token: renew it once and try again, or end the session. */
  private async handleRefusal(socket: LiveSocket): Promise<void> {
    const renew = this.renewToken;
    if (renew && !this.renewedSinceConnect) {
      this.renewedSinceConnect = true;
      this.live.setStatus('connecting');
      const outcome = await renew().catch((): RefreshOutcome => 'unavailable');
      if (socket !== this.socket) return;
      if (outcome === 'refreshed') {
        socket.connect();
        return;
      }
      if (outcome === 'unavailable') {
        this.renewedSinceConnect = false;
        this.live.setStatus('lost');
        this.live.markAllStale();
        this.retryLater(socket);
        return;
      }
    }
    this.stop();
    this.onUnauthorized();
  }

  private retryLater(socket: LiveSocket): void {
    // A refusal by the server's middleware is not retried by socket.io itself; transport errors are.
    if (!socket.active && !this.retryTimer) {
      this.retryTimer = setTimeout(
        () => {
          this.retryTimer = null;
          if (this.socket === socket) socket.connect();
        },
        2000 + Math.random() * 3000,
      );
    }
  }
}
