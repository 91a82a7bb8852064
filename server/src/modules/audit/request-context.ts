import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../auth/principal.js';

/** What one HTTP request carries across guard, services and interceptors without passing it around. */
export interface RequestContext {
  principal: Principal | null;
  ip: string;
  /** Audit rows written while handling this request. */
  audited: number;
  /** A service said explicitly that this request changed nothing (an idempotent repeat). */
  unchanged: boolean;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * Opens the context for every request. Mounted after the body parser: the parser's stream callbacks
 * would otherwise run outside it.
 */
export function requestContextMiddleware(req: Request, _res: Response, next: NextFunction): void {
  storage.run(
    { principal: null, ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', audited: 0, unchanged: false },
    next,
  );
}
