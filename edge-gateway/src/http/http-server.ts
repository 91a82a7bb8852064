import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging/logger.js';

export interface HealthReport {
  status: 'ok' | 'degraded';
  gatewayId: string;
  mqtt: { connected: boolean };
  server: { reachable: boolean | null; lastAckAt: string | null; lastError: string | null };
  outbox: { depth: number; oldestAgeSeconds: number | null; dropped: number };
  inputs: { name: string; topicFilters: string[] }[];
}

export interface HttpServerHandle {
  port: number;
  close(): Promise<void>;
}

/** `/health` (JSON) and `/metrics` (Prometheus text) on plain node:http; nothing else. */
export async function startHttpServer(options: {
  port: number;
  host?: string;
  registry: Registry;
  health: () => HealthReport;
  logger: Logger;
}): Promise<HttpServerHandle> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(options.health()));
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        (error: unknown) => {
          options.logger.error('metrics collection failed', { error });
          res.writeHead(500).end();
        },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
