import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { Role } from '@floorboard/shared';
import { MetricsService } from '../../metrics/metrics.service.js';
import { MinRole } from './auth.decorators.js';
import { AuthGuard } from './auth.guard.js';
import type { AuthenticationService } from './authentication.service.js';

class Handlers {
  undecorated(): void {}
  @MinRole('coordinator')
  coordinatorOnly(): void {}
}

/** A socket.io handler call as Nest's guards see it: [client, data, ack]. */
function socketContext(handler: keyof Handlers, role: Role | null) {
  const client = { data: role ? { principal: { kind: 'user', id: 'u', name: 'u', role } } : {} };
  const context = new ExecutionContextHost([client, {}, undefined], Handlers, Handlers.prototype[handler]);
  context.setType('ws');
  return context;
}

describe('AuthGuard on socket.io handlers', () => {
  const guard = new AuthGuard(new Reflector(), {} as AuthenticationService, new MetricsService());

  it('denies by default: a handler without @MinRole needs admin', async () => {
    await expect(guard.canActivate(socketContext('undecorated', 'manager'))).rejects.toMatchObject({
      code: 'AUTH_ROLE_TOO_LOW',
    });
    await expect(guard.canActivate(socketContext('undecorated', 'admin'))).resolves.toBe(true);
  });

  it('checks the declared minimum role', async () => {
    await expect(guard.canActivate(socketContext('coordinatorOnly', 'viewer'))).rejects.toMatchObject({
      code: 'AUTH_ROLE_TOO_LOW',
    });
    await expect(guard.canActivate(socketContext('coordinatorOnly', 'coordinator'))).resolves.toBe(true);
    await expect(guard.canActivate(socketContext('coordinatorOnly', null))).rejects.toMatchObject({
      code: 'AUTH_REQUIRED',
    });
  });
});
