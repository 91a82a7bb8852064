import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ROLES, type Role } from '@floorboard/shared';
import { ACCESS_KEY, AUDIT_EXEMPT_KEY, DEFAULT_ACCESS, type Access } from '../../src/modules/auth/auth.decorators.js';

export interface RouteInfo {
  method: string;
  /** Express form, e.g. `/api/v1/users/:id`. */
  path: string;
  access: Access;
  auditExempt: boolean;
}

export interface SocketHandlerInfo {
  namespace: string;
  event: string;
  access: Access;
}

/** Paths outside the `/api/v1` prefix; mirrors `setGlobalPrefix(…, { exclude })` in app.ts. */
const UNPREFIXED = new Set(['health/live', 'health/ready', 'metrics']);

const join = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

function methodsOf(prototype: object): [string, (...args: unknown[]) => unknown][] {
  return Object.getOwnPropertyNames(prototype)
    .filter((name) => name !== 'constructor')
    .map((name) => [name, (prototype as Record<string, unknown>)[name]] as [string, (...args: unknown[]) => unknown])
    .filter(([, fn]) => typeof fn === 'function');
}

function accessOf(handler: object, type: object): Access {
  return (
    (Reflect.getMetadata(ACCESS_KEY, handler) as Access | undefined) ??
    (Reflect.getMetadata(ACCESS_KEY, type) as Access | undefined) ??
    DEFAULT_ACCESS
  );
}

/** Every REST route Nest registered, from the controllers' own metadata, with its access rule. */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!type) continue;
      const base = (Reflect.getMetadata('path', type) as string | undefined) ?? '';
      for (const [, fn] of methodsOf(type.prototype as object)) {
        const sub = Reflect.getMetadata('path', fn) as string | undefined;
        const method = Reflect.getMetadata('method', fn) as RequestMethod | undefined;
        if (sub === undefined || method === undefined) continue;
        const local = join(base, sub).slice(1);
        routes.push({
          method: RequestMethod[method],
          path: UNPREFIXED.has(local) ? `/${local}` : join('api/v1', local),
          access: accessOf(fn, type),
          auditExempt: Boolean(
            Reflect.getMetadata(AUDIT_EXEMPT_KEY, fn) ?? Reflect.getMetadata(AUDIT_EXEMPT_KEY, type),
          ),
        });
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** (method, path) pairs of the Express router, to prove `listRoutes` misses nothing. */
export function listExpressRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  // Catch-all layers (every HTTP verb on one path) are Nest's method-not-allowed answers, not routes.
  return express.router.stack.flatMap((layer) =>
    layer.route && Object.keys(layer.route.methods).length < 8
      ? Object.keys(layer.route.methods)
          .filter((m) => m !== '_all')
          .map((m) => `${m.toUpperCase()} ${layer.route!.path}`)
      : [],
  );
}

/** Every socket.io message handler of every gateway, with its access rule. */
export function listSocketHandlers(app: INestApplication): SocketHandlerInfo[] {
  const handlers: SocketHandlerInfo[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!type || typeof type !== 'function' || !Reflect.getMetadata('websockets:is_gateway', type)) continue;
      const options = (Reflect.getMetadata('websockets:gateway_options', type) ?? {}) as { namespace?: string };
      for (const [, fn] of methodsOf(type.prototype as object)) {
        if (!Reflect.getMetadata('websockets:message_mapping', fn)) continue;
        handlers.push({
          namespace: options.namespace ?? '/',
          event: Reflect.getMetadata('message', fn) as string,
          access: accessOf(fn, type),
        });
      }
    }
  }
  return handlers;
}

export const accessLabel = (access: Access): string =>
  access.kind === 'role' ? access.minimum : access.kind === 'ingest' ? 'ingest token' : 'public';

export const rolesBelow = (minimum: Role): Role[] => ROLES.slice(0, ROLES.indexOf(minimum));

/** A concrete URL for a route: path parameters filled with harmless placeholders. */
export function samplePath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_m, name: string) =>
    encodeURIComponent(params[name] ?? (name === 'id' ? '00000000-0000-4000-8000-000000000000' : 'line-a')),
  );
}

/** The role matrix as the Markdown table kept in the root README. */
export function roleMatrixMarkdown(routes: RouteInfo[], sockets: SocketHandlerInfo[]): string {
  const rows = [
    '| method | route | minimum |',
    '|---|---|---|',
    ...routes.map((r) => `| ${r.method} | \`${r.path}\` | ${accessLabel(r.access)} |`),
    ...sockets.map((s) => `| socket.io | \`${s.namespace}\` event \`${s.event}\` | ${accessLabel(s.access)} |`),
  ];
  return rows.join('\n');
}
