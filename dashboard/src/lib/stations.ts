import type { LineSummary, StationLive } from '@floorboard/shared';

/**
 * Stations in flow order: by their position in the line's configuration when it is known, otherwise as the
 * snapshot lists them. Stations the configuration does not know yet keep their snapshot order at the end.
 */
export function orderStations(stations: readonly StationLive[], summary?: LineSummary): StationLive[] {
  if (!summary) return [...stations];
  const position = new Map(summary.stations.map((station) => [station.key, station.position]));
  return stations
    .map((station, index) => ({ station, index, position: position.get(station.key) ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.position - b.position || a.index - b.index)
    .map(({ station }) => station);
}
