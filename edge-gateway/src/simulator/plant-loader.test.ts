import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DEMO_PLANT } from '@floorboard/shared';
import { loadPlant } from './plant-loader.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fb-plant-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const yaml = `timezone: Europe/Berlin
lines:
  - key: line-1
    name: Line 1
    site: plant-b
    idealCycleTimeSec: 30
    stations:
      - { key: a, name: A, idealCycleTimeSec: 20 }
      - { key: b, name: B, idealCycleTimeSec: 30 }
`;

describe('loadPlant', () => {
  it('uses the demo plant without a file', async () => {
    expect(await loadPlant(undefined)).toBe(DEMO_PLANT);
  });

  it('reads and validates a plant YAML file', async () => {
    const file = path.join(dir, 'plant.yaml');
    await writeFile(file, yaml);
    const plant = await loadPlant(file);
    expect(plant.lines[0]?.stations.map((s) => s.key)).toEqual(['a', 'b']);
    expect(plant.productionDayStart).toBe('06:00');
  });

  it('names the file and the field on errors', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, yaml.replace('key: b', 'key: a'));
    await expect(loadPlant(file)).rejects.toThrow(
      /FLOORBOARD_PLANT: .*bad\.yaml.*\n.*lines\[0\]\.stations\[1\]\.key: duplicate station key "a"/,
    );
    await writeFile(file, 'lines: [');
    await expect(loadPlant(file)).rejects.toThrow(/not valid YAML/);
    await expect(loadPlant(path.join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read/);
  });
});
