import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LineSummary } from '@floorboard/shared';
import { fetchLine, fetchLines } from '../api/lines';

/** The plant's lines as configured (names, sites, stations in flow order); not live data. */
export const useLinesStore = defineStore('lines', () => {
  const summaries = ref<LineSummary[]>([]);
  const loaded = ref(false);

  const byKey = computed(() => new Map(summaries.value.map((line) => [line.key, line])));

  function upsert(line: LineSummary): void {
    const index = summaries.value.findIndex((existing) => existing.key === line.key);
    if (index === -1) summaries.value.push(line);
    else summaries.value[index] = line;
  }

  async function loadLines(): Promise<void> {
    summaries.value = await fetchLines();
    loaded.value = true;
  }

  /** The summary of one line, fetched unless already known. Throws `LINE_NOT_FOUND` for an unknown key. */
  async function loadLine(lineKey: string): Promise<LineSummary> {
    const known = byKey.value.get(lineKey);
    if (known) return known;
    const line = await fetchLine(lineKey);
    upsert(line);
    return line;
  }

  return { summaries, loaded, byKey, loadLines, loadLine };
});
