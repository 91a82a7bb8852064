import type { GatewayStatus } from '@floorboard/shared';
import { apiRequest } from './client';

/** Every edge gateway that ever sent a heartbeat, with its status (admin page). */
export function fetchGateways(): Promise<GatewayStatus[]> {
  return apiRequest<GatewayStatus[]>('/gateways');
}
