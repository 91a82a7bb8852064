import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Alert } from '@floorboard/shared';
import { acknowledgeAlert, fetchAlerts } from '../api/andon';
import { ApiRequestError } from '../api/client';

/**
 * An alert only moves forward (raised → acknowledged and/or cleared), so of two copies of the same alert the
 * one that knows more wins field by field. A REST answer that left the server before a socket event therefore
 * cannot take back what the event already said.
 */
export function mergeAlert(known: Alert | undefined, incoming: Alert): Alert {
  if (!known) return incoming;
  const acknowledged = incoming.acknowledgedAt !== null ? incoming : known;
  return {
    ...incoming,
    clearedAt: incoming.clearedAt ?? known.clearedAt,
    acknowledgedAt: acknowledged.acknowledgedAt,
    acknowledgedBy: acknowledged.acknowledgedBy,
  };
}

const newestRaisedFirst = (a: Alert, b: Alert) => b.raisedAt.localeCompare(a.raisedAt) || a.id.localeCompare(b.id);
const newestClearedFirst = (a: Alert, b: Alert) => (b.clearedAt ?? '').localeCompare(a.clearedAt ?? '');

/**
 * Andon alerts by id: every open one of the plant and the newest closed ones. `load()` fetches them;
 * `realtime/` keeps them current with `alert:raised|cleared|acknowledged` (`applyAlert`) and calls `load()`
 * again after a reconnect or a resync, when events may have been missed.
 */
export const useAlertsStore = defineStore('alerts', () => {
  const alerts = ref<Record<string, Alert>>({});
  const loaded = ref(false);
  let pending: Promise<void> | null = null;
  /** Bumped by `reset()`, so a load that was under way at sign-out does not bring the old alerts back. */
  let generation = 0;
  /** Ids that events touched while a load was under way: the load's answer may predate them. */
  let touchedDuringLoad: Set<string> | null = null;

  function applyAlert(alert: Alert): void {
    touchedDuringLoad?.add(alert.id);
    alerts.value[alert.id] = mergeAlert(alerts.value[alert.id], alert);
  }

  /**
   * Replaces the store's alerts with the server's: all open ones plus the newest 500 of any state (so recent
   * closed alerts can be shown). Parallel calls share one request.
   */
  function load(): Promise<void> {
    pending ??= (async () => {
      const started = generation;
      touchedDuringLoad = new Set();
      try {
        const [open, recent] = await Promise.all([fetchAlerts('open'), fetchAlerts('all')]);
        if (started !== generation) return;
        const next: Record<string, Alert> = {};
        for (const alert of [...recent, ...open]) next[alert.id] = mergeAlert(next[alert.id], alert);
        for (const alert of Object.values(next)) next[alert.id] = mergeAlert(alerts.value[alert.id], alert);
        for (const id of touchedDuringLoad) {
          const known = alerts.value[id];
          if (known && !next[id]) next[id] = known;
        }
        alerts.value = next;
        loaded.value = true;
      } finally {
        if (started === generation) {
          touchedDuringLoad = null;
          pending = null;
        }
      }
    })();
    return pending;
  }

  /** Acknowledges as the signed-in person. When someone else was quicker (409), the store learns who. */
  async function acknowledge(id: string): Promise<Alert> {
    try {
      const alert = await acknowledgeAlert(id);
      applyAlert(alert);
      return alert;
    } catch (error) {
      if (error instanceof ApiRequestError && error.code === 'ALERT_ALREADY_ACKNOWLEDGED') void load().catch(() => {});
      throw error;
    }
  }

  /** The line's open (not cleared) alerts, newest first. */
  function openFor(lineKey: string): Alert[] {
    return Object.values(alerts.value)
      .filter((a) => a.clearedAt === null && a.lines.includes(lineKey))
      .sort(newestRaisedFirst);
  }

  /** The line's cleared alerts, most recently cleared first. */
  function recentFor(lineKey: string, limit = 10): Alert[] {
    return Object.values(alerts.value)
      .filter((a) => a.clearedAt !== null && a.lines.includes(lineKey))
      .sort(newestClearedFirst)
      .slice(0, limit);
  }

  function reset(): void {
    generation += 1;
    pending = null;
    touchedDuringLoad = null;
    alerts.value = {};
    loaded.value = false;
  }

  return { alerts, loaded, applyAlert, load, acknowledge, openFor, recentFor, reset };
});

export type AlertsStore = ReturnType<typeof useAlertsStore>;
