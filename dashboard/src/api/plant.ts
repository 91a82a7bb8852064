import type { PlantCalendar } from '@floorboard/shared';
import { apiRequest } from './client';

/** The plant timezone, production-day start and shifts (any signed-in user or wall screen). */
export function fetchPlantCalendar(): Promise<PlantCalendar> {
  return apiRequest<PlantCalendar>('/plant/calendar');
}
