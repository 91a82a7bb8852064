import type { LineSummary } from '@floorboard/shared';
import { apiRequest } from './client';

export function fetchLines(): Promise<LineSummary[]> {
  return apiRequest<LineSummary[]>('/lines');
}

export function fetchLine(lineKey: string): Promise<LineSummary> {
  return apiRequest<LineSummary>(`/lines/${encodeURIComponent(lineKey)}`);
}
