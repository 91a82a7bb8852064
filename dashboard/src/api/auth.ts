import type { LoginRequest, LoginResponse } from '@floorboard/shared';
import { apiRequest } from './client';

export function login(request: LoginRequest): Promise<LoginResponse> {
  return apiRequest<LoginResponse>('/auth/login', { method: 'POST', body: request, auth: false });
}
