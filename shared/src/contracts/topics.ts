import { keySchema } from './station-event.js';

export const FLOORBOARD_TOPIC_ROOT = 'floorboard/v1';
export const FLOORBOARD_TOPIC_FILTER = `${FLOORBOARD_TOPIC_ROOT}/#`;
export const FLOORBOARD_CHANNELS = ['state', 'count', 'cycle'] as const;
export type FloorboardChannel = (typeof FLOORBOARD_CHANNELS)[number];

export interface FloorboardTopic {
  site: string;
  line: string;
  station: string;
  channel: FloorboardChannel;
}

/** `floorboard/v1/{site}/{line}/{station}/{channel}` (DESIGN.md §4.1). */
export function floorboardTopic(t: FloorboardTopic): string {
  return `${FLOORBOARD_TOPIC_ROOT}/${t.site}/${t.line}/${t.station}/${t.channel}`;
}

export type TopicParseResult =
  | { ok: true; topic: FloorboardTopic }
  | { ok: false; code: 'TOPIC_UNKNOWN' | 'TOPIC_CHANNEL_UNKNOWN' | 'TOPIC_KEY_INVALID'; message: string };

export function parseFloorboardTopic(topic: string): TopicParseResult {
  const parts = topic.split('/');
  if (parts.length !== 6 || `${parts[0]}/${parts[1]}` !== FLOORBOARD_TOPIC_ROOT) {
    return {
      ok: false,
      code: 'TOPIC_UNKNOWN',
      message: `not a ${FLOORBOARD_TOPIC_ROOT}/{site}/{line}/{station}/{channel} topic`,
    };
  }
  const [, , site, line, station, channel] = parts as [string, string, string, string, string, string];
  if (!(FLOORBOARD_CHANNELS as readonly string[]).includes(channel)) {
    return {
      ok: false,
      code: 'TOPIC_CHANNEL_UNKNOWN',
      message: `unknown channel "${channel}" (state, count or cycle)`,
    };
  }
  for (const [name, value] of [
    ['site', site],
    ['line', line],
    ['station', station],
  ] as const) {
    if (!keySchema.safeParse(value).success) {
      return { ok: false, code: 'TOPIC_KEY_INVALID', message: `${name} "${value}" is not a valid key` };
    }
  }
  return { ok: true, topic: { site, line, station, channel: channel as FloorboardChannel } };
}
