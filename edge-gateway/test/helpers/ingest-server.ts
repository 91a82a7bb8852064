import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IngestResult, StationEvent } from '@floorboard/shared';

export interface IngestRequest {
  authorization: string | undefined;
  gatewayId: string;
  events: StationEvent[];
  status: number;
}

export type Responder = (body: { gatewayId: string; events: StationEvent[] }) => {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
} | null;

/**
 * A real HTTP server playing the ingest endpoint: checks the bearer token, records every request,
 * answers like the server (idempotent on gatewayId+seq), and can be told to fail.
 */
export class FakeIngestServer {
  readonly requests: IngestRequest[] = [];
  /** Events committed, in commit order (duplicates not repeated). */
  readonly committed: StationEvent[] = [];
  private readonly seen = new Set<string>();
  private readonly failures: { status: number; headers?: Record<string, string> }[] = [];
  private server: http.Server | null = null;
  url = '';
  /** Return a response to override the normal answer for one request (null = answer normally). */
  responder: Responder = () => null;

  constructor(private readonly token: string) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next `count` requests are answered with `status` (e.g. 503) and nothing is committed. */
  failNext(count: number, status: number, headers?: Record<string, string>): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, headers });
  }

  committedFor(gatewayId: string): StationEvent[] {
    return this.committed.filter((e) => e.gatewayId === gatewayId);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  private handle(req: http.IncomingMessage, text: string, res: http.ServerResponse): void {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    const body = JSON.parse(text) as { gatewayId: string; events: StationEvent[] };
    const record = (status: number) =>
      this.requests.push({ authorization: req.headers.authorization, ...body, status });

    if (req.method !== 'POST' || req.url !== '/api/v1/ingest/events') return send(404, {});
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      record(401);
      return send(401, { statusCode: 401, code: 'INGEST_TOKEN_INVALID', message: 'bad token' });
    }
    const failure = this.failures.shift();
    if (failure) {
      record(failure.status);
      return send(failure.status, { statusCode: failure.status, code: 'FAIL', message: 'injected' }, failure.headers);
    }
    const override = this.responder(body);
    if (override) {
      record(override.status);
      return send(override.status, override.body ?? {}, override.headers);
    }
    record(200);
    const result: IngestResult = { accepted: 0, duplicates: 0, rejected: [] };
    for (const event of body.events) {
      const key = `${event.gatewayId}:${event.seq}`;
      if (this.seen.has(key)) {
        result.duplicates += 1;
        continue;
      }
      this.seen.add(key);
      this.committed.push(event);
      result.accepted += 1;
    }
    send(200, result);
  }
}
