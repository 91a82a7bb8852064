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
  roleAtLeast,
  subscribeRequestSchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SubscribeAck,
} from '@floorboard/shared';
import { MetricsService } from '../metrics/metrics.service.js';
import { TokenService, type AccessClaims } from '../modules/auth/token.service.js';
import { LiveStateService } from '../modules/live/live-state.service.js';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { user: AccessClaims }>;
type LiveNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { user: AccessClaims }
>;

const room = (lineKey: string) => `line:${lineKey}`;

/**
 * socket.io namespace /live (DESIGN.md §4.5): authenticated handshake, `subscribe` answers with a
 * snapshot per line, then the line room receives every delta with its per-line `rev`.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, cors: false })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('Realtime');
  private namespace: LiveNamespace;
  private subscription: Subscription | undefined;

  constructor(
    private readonly tokens: TokenService,
    private readonly live: LiveStateService,
    private readonly metrics: MetricsService,
  ) {}

  afterInit(namespace: LiveNamespace): void {
    this.namespace = namespace;
    namespace.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      void this.tokens.verify(typeof token === 'string' ? token : null).then((claims) => {
        if (!claims || !roleAtLeast(claims.role, 'viewer')) {
          this.metrics.socketRejected.inc({ code: 'AUTH_REQUIRED' });
          next(new Error('AUTH_REQUIRED'));
          return;
        }
        socket.data.user = claims;
        next();
      });
    });
    this.subscription = this.live.deltas.subscribe((delta) => {
      this.namespace.to(room(delta.payload.line)).emit(delta.event, delta.payload as never);
      this.metrics.socketEmits.inc({ event: delta.event });
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  handleConnection(): void {
    this.metrics.socketClients.inc();
  }

  handleDisconnect(): void {
    this.metrics.socketClients.dec();
  }

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
