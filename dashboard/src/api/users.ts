import type { CreateUserRequest, UpdateUserRequest, UserView } from '@floorboard/shared';
import { apiRequest } from './client';

export function fetchUsers(): Promise<UserView[]> {
  return apiRequest<UserView[]>('/users');
}

/** 409 `USER_EXISTS` when the name is taken. */
export function createUser(request: CreateUserRequest): Promise<UserView> {
  return apiRequest<UserView>('/users', { method: 'POST', body: request });
}

/** 409 `LAST_ADMIN` when the change would leave the plant without an enabled admin. */
export function updateUser(id: string, change: UpdateUserRequest): Promise<UserView> {
  return apiRequest<UserView>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: change });
}
