/** The JSON error shape of every REST error (DESIGN.md §4.4). */
export interface ApiError {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

export const ROLES = ['viewer', 'coordinator', 'planner', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** True when `role` is at least `minimum` in the role ladder (DESIGN.md §4.6). */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

export interface LoginRequest {
  username: string;
  password: string;
}

export interface LoginResponse {
  accessToken: string;
  expiresIn: number;
  user: { username: string; role: Role };
}
