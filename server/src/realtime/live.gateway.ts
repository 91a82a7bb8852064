import { Logger, OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import type { Subscription } from 'rxjs';
import {
  describeIssues,
  LIVE_NAMESPACE,
  subscribeRequestSchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SubscribeAck,
} from '@floorboard/shared';
import { MetricsService } from '../metrics/metrics.service.js';
import { MinRole } from '../modules/auth/auth.decorators.js';
import { AuthEventsService, type CredentialRevoked } from '../modules/auth/auth-events.service.js';
import { AuthenticationService } from '../modules/auth/authentication.service.js';
import type { Principal } from '../modules/auth/principal.js';
import { LiveStateService } from '../modules/live/live-state.service.js';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { principal: Principal }>;
type LiveNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { principal: Principal }
>;

const room = (lineKey: string) => `line:${lineKey}`;

/**
 * socket.io namespace /live (DESIGN.md §4.5): authenticated handshake (access or display token),
 * `subscribe` answers with a snapshot per line, then the line room receives every delta with its
 * per-line `rev`. Every handler declares its minimum role (the global AuthGuard checks it; none = admin).
 * CORS and allowed origins come from the socket.io server options set in app.ts.
 */
/**
 * socket.io pings every 2 s, so the dashboard's watchdog (SilenceWatchdog) can treat 4 s without anything heard
 * as a lost connection; socket.io's defaults (25 s + 20 s) would leave a wall screen showing numbers as live for
 * up to 45 s after a silent network drop. A ping every 2 s costs a few bytes per client. The pong may take 3 s,
 * so a slow TV browser that stalls for a moment is not thrown out.
 */
export const LIVE_PING_INTERVAL_MS = 2000;
export const LIVE_PING_TIMEOUT_MS = 3000;

@WebSocketGateway({ namespace: LIVE_NAMESPACE, pingInterval: LIVE_PING_INTERVAL_MS, pingTimeout: LIVE_PING_TIMEOUT_MS })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('Realtime');
  private namespace: LiveNamespace;
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly authentication: AuthenticationService,
    private readonly authEvents: AuthEventsService,
    private readonly live: LiveStateService,
    private readonly metrics: MetricsService,
  ) {}

  afterInit(namespace: LiveNamespace): void {
    this.namespace = namespace;
    namespace.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      void this.authentication.authenticate(typeof token === 'string' ? token : null).then(
        (result) => {
          if (!result.ok) {
            this.metrics.socketRejected.inc({ code: result.code });
            next(new Error(result.code));
            return;
          }
          socket.data.principal = result.principal;
          next();
        },
        (error: unknown) => next(error as Error),
      );
    });
    this.subscriptions.push(
      this.live.deltas.subscribe((delta) => {
        this.namespace.to(room(delta.payload.line)).emit(delta.event, delta.payload as never);
        this.metrics.socketEmits.inc({ event: delta.event });
      }),
      this.authEvents.revoked.subscribe((revoked) => this.disconnectRevoked(revoked)),
    );
  }

  onModuleDestroy(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  /** Sockets opened with a revoked display token, or by a disabled or changed user, are closed. */
  private disconnectRevoked(revoked: CredentialRevoked): void {
    for (const socket of this.namespace.sockets.values()) {
      const principal = socket.data.principal;
      if (principal?.kind === revoked.kind && principal.id === revoked.id) {
        socket.emit('error', { code: 'AUTH_REVOKED', message: 'this credential was revoked or changed' });
        socket.disconnect(true);
      }
    }
  }

  handleConnection(): void {
    this.metrics.socketClients.inc();
  }

  handleDisconnect(): void {
    this.metrics.socketClients.dec();
  }

  @MinRole('viewer')
  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): SubscribeAck {
    const parsed = subscribeRequestSchema.safeParse(body);
    if (!parsed.success) return this.reject('SUBSCRIBE_INVALID', describeIssues(parsed.error.issues).join('; '));
    const snapshots = parsed.data.lines.map((key) => ({ key, snapshot: this.live.snapshot(key) }));
    const unknown = snapshots.filter((s) => !s.snapshot).map((s) => s.key);
    if (unknown.length > 0) return this.reject('LINE_NOT_FOUND', `no line ${unknown.map((k) => `"${k}"`).join(', ')}`);
    // Join and snapshot in the same tick: no delta can slip in between, so rev continues from the snapshot.
    for (const { key, snapshot } of snapshots) {
      void socket.join(room(key));
      socket.emit('line:snapshot', { line: key, ts: snapshot!.ts, rev: snapshot!.rev, snapshot: snapshot! });
    }
    return { ok: true, lines: parsed.data.lines };
  }

  @MinRole('viewer')
  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): SubscribeAck {
    const parsed = subscribeRequestSchema.safeParse(body);
    if (!parsed.success) return this.reject('SUBSCRIBE_INVALID', describeIssues(parsed.error.issues).join('; '));
    for (const key of parsed.data.lines) void socket.leave(room(key));
    return { ok: true, lines: parsed.data.lines };
  }

  private reject(code: string, message: string): SubscribeAck {
    this.metrics.socketRejected.inc({ code });
    this.logger.warn({ msg: 'socket message rejected', code, message });
    return { ok: false, code, message };
  }
}
