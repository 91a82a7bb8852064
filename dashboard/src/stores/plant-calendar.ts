import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { PlantCalendar } from '@floorboard/shared';
import { fetchPlantCalendar } from '../api/plant';

/** The zone this browser runs in: what times are shown in until the plant's calendar has arrived. */
export function browserTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The plant's calendar (timezone, production-day start, shifts). Shop-floor times are plant-local, so every
 * clock, date and shift boundary the dashboard shows is formatted in `timezone`, wherever the browser is.
 */
export const usePlantCalendarStore = defineStore('plant-calendar', () => {
  const calendar = ref<PlantCalendar | null>(null);
  const timezone = computed(() => calendar.value?.timezone ?? browserTimezone());
  let pending: Promise<void> | null = null;

  /**
   * Loads the calendar once per session; parallel and later calls share that load. A failed load is not
   * remembered, so the next call tries again.
   */
  function load(): Promise<void> {
    if (calendar.value) return Promise.resolve();
    pending ??= fetchPlantCalendar()
      .then((loaded) => {
        calendar.value = loaded;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  }

  return { calendar, timezone, load };
});
