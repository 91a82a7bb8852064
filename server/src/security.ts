import type { IncomingMessage } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import type { Server, ServerOptions } from 'socket.io';
import type { ApiError } from '@floorboard/shared';

/** Gateways post batches of up to a few thousand events; everything else is small. */
export const INGEST_BODY_LIMIT = '4mb';
export const DEFAULT_BODY_LIMIT = '256kb';
const INGEST_PATH = '/api/v1/ingest';

/**
 * Security headers. The dashboard and Swagger UI are served by this server, so scripts, styles and
 * the websocket all come from 'self'; inline styles are allowed for Swagger UI and chart libraries.
 * No `upgrade-insecure-requests`: a plant LAN often serves plain HTTP.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
    },
    // HSTS only makes sense behind TLS, which a reverse proxy in front of us sets.
    strictTransportSecurity: false,
  }) as RequestHandler;
}

const refuse = (res: Response, status: number, code: string, message: string) =>
  res.status(status).json({ statusCode: status, code, message } satisfies ApiError);

/** A request body must be JSON: anything else is refused with 415 before it is parsed. */
export function requireJsonBodies(req: Request, res: Response, next: NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody || !req.path.startsWith('/api/') || req.is('application/json')) return next();
  refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'request bodies must be application/json');
}

/** True when a string anywhere in a parsed JSON value (keys included) holds a NUL character. */
function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v));
  }
  return false;
}

/**
 * PostgreSQL text cannot hold NUL, so a NUL in the path, query or body would surface as a database
 * error; it is refused up front with 400 INPUT_NUL_CHARACTER instead.
 */
export function rejectNulCharacters(req: Request, res: Response, next: NextFunction): void {
  if (/%00/i.test(req.originalUrl) || containsNul(req.body)) {
    refuse(res, 400, 'INPUT_NUL_CHARACTER', 'input must not contain NUL characters');
    return;
  }
  next();
}

/** JSON bodies: 4 MB for ingest, 256 kB elsewhere (413 PAYLOAD_TOO_LARGE beyond). */
export function jsonBodies(): RequestHandler {
  const ingest = express.json({ limit: INGEST_BODY_LIMIT });
  const other = express.json({ limit: DEFAULT_BODY_LIMIT });
  return (req, res, next) =>
    (req.path === INGEST_PATH || req.path.startsWith(`${INGEST_PATH}/`) ? ingest : other)(req, res, next);
}

/**
 * socket.io with the configured CORS origins. A browser handshake from another origin is refused
 * unless that origin is listed (websocket upgrades are not covered by CORS, so this checks them too).
 */
export class SecureIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly corsOrigins: string[],
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    return super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: 64 * 1024,
      cors: this.corsOrigins.length > 0 ? { origin: this.corsOrigins, credentials: false } : undefined,
      allowRequest: (req, callback) => callback(null, originAllowed(req, this.corsOrigins)),
    } as ServerOptions);
  }
}

export function originAllowed(req: IncomingMessage, corsOrigins: string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // not a browser (gateways, scripts, tests)
  if (corsOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
