import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { StopReason } from '@floorboard/shared';
import { fetchReasons } from '../api/stops';

/**
 * The stop reason catalogue as last fetched. `load()` fetches it again each time it is called (a manager may
 * have edited it since), but callers that ask while a fetch is running share that fetch: a line view and its
 * stop list open together make one request.
 */
export const useReasonsStore = defineStore('reasons', () => {
  const reasons = ref<StopReason[]>([]);
  let inFlight: Promise<StopReason[]> | null = null;

  function load(): Promise<StopReason[]> {
    inFlight ??= fetchReasons()
      .then((list) => (reasons.value = list))
      .finally(() => (inFlight = null));
    return inFlight;
  }

  return { reasons, load };
});
