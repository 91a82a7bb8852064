import type { Alert, AlertStateFilter, AndonRule } from '@floorboard/shared';
import type { AndonRulePatch } from '../lib/andon-rule-form';
import { apiRequest } from './client';

/** Alerts newest first (at most 500): `open` ones (not cleared) or `all`; optionally of one line. */
export function fetchAlerts(state: AlertStateFilter, line?: string): Promise<Alert[]> {
  return apiRequest<Alert[]>('/alerts', { query: { state, line } });
}

/** Records who saw the alert and when (409 `ALERT_ALREADY_ACKNOWLEDGED` when someone already did). */
export function acknowledgeAlert(id: string): Promise<Alert> {
  return apiRequest<Alert>(`/alerts/${encodeURIComponent(id)}/ack`, { method: 'POST' });
}

/** Every andon rule, in the contract's order (manager and above). */
export function fetchAndonRules(): Promise<AndonRule[]> {
  return apiRequest<AndonRule[]>('/andon/rules');
}

/** Changes the listed rules (only the fields given); answers every rule as saved. */
export function saveAndonRules(rules: AndonRulePatch[]): Promise<AndonRule[]> {
  return apiRequest<AndonRule[]>('/andon/rules', { method: 'PUT', body: { rules } });
}
