import { describe, expect, it } from 'vitest';
import { orderStations } from '../../src/lib/stations';
import { ASSEMBLY_SUMMARY, station } from '../support/fixtures';

describe('orderStations', () => {
  const live = [station('paint'), station('laser'), station('press'), station('weld')];

  it('keeps the snapshot order when the line configuration is unknown', () => {
    expect(orderStations(live).map((s) => s.key)).toEqual(['paint', 'laser', 'press', 'weld']);
  });

  it('follows the configured flow order and puts unknown stations last', () => {
    expect(orderStations(live, ASSEMBLY_SUMMARY).map((s) => s.key)).toEqual(['press', 'weld', 'paint', 'laser']);
  });
});
