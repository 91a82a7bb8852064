import type { OeeBucket, ReasonCategory, StopReason } from '@floorboard/shared';
import { apiRequest } from './client';

export { fetchReasons } from './stops';

export interface CreateReasonRequest {
  key: string;
  name: string;
  /** The parent's key; null for a new family. */
  parent: string | null;
  category: ReasonCategory;
  oeeBucket: OeeBucket;
}

export type UpdateReasonRequest = Partial<Omit<CreateReasonRequest, 'key'>>;

/** Adds a reason (409 `REASON_EXISTS`, 422 `REASON_PARENT_UNKNOWN`); manager and above. */
export function createReason(request: CreateReasonRequest): Promise<StopReason> {
  return apiRequest<StopReason>('/reasons', { method: 'POST', body: request });
}

/** Renames, moves or recategorises a reason; its key stays, so classified stops keep it (422 `REASON_PARENT_CYCLE`). */
export function updateReason(key: string, change: UpdateReasonRequest): Promise<StopReason> {
  return apiRequest<StopReason>(`/reasons/${encodeURIComponent(key)}`, { method: 'PATCH', body: change });
}

/** Removes a reason no stop uses and no reason hangs under (409 `REASON_IN_USE`, `REASON_HAS_CHILDREN`). */
export function deleteReason(key: string): Promise<void> {
  return apiRequest<void>(`/reasons/${encodeURIComponent(key)}`, { method: 'DELETE' });
}
