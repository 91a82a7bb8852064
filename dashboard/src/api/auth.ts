import type { AuthSession, LoginRequest, Me } from '@floorboard/shared';
import { apiRequest } from './client';

export function login(request: LoginRequest): Promise<AuthSession> {
  return apiRequest<AuthSession>('/auth/login', { method: 'POST', body: request, auth: false });
}

/** Answers a new access token and a rotated refresh token; the old refresh token is used up. */
export function refreshSession(refreshToken: string): Promise<AuthSession> {
  return apiRequest<AuthSession>('/auth/refresh', { method: 'POST', body: { refreshToken }, auth: false });
}

/** Ends the session's refresh tokens on the server; sent with the access token the session had. */
export function logout(refreshToken: string, accessToken: string): Promise<void> {
  return apiRequest<void>('/auth/logout', { method: 'POST', body: { refreshToken }, token: accessToken });
}

export function fetchMe(): Promise<Me> {
  return apiRequest<Me>('/auth/me');
}
