import type { AuditPage, AuditQuery } from '@floorboard/shared';
import { apiRequest } from './client';

/** One page of the audit log, newest first. */
export function fetchAudit(query: AuditQuery): Promise<AuditPage> {
  return apiRequest<AuditPage>('/audit', { query: { ...query } });
}
