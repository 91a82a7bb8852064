import 'reflect-metadata';
import { DEMO_PLANT } from '@floorboard/shared';
import { readPlantFile } from '../modules/lines/plant-file.js';
import { openStandaloneDatabase } from './standalone.js';

/**
 * `npm run db:seed`: migrates, then applies the plant topology — `FLOORBOARD_PLANT` if set, else the
 * demo plant. Idempotent, like applying the plant at boot.
 */
const file = process.env.FLOORBOARD_PLANT;
const result = file ? readPlantFile(file) : { ok: true as const, plant: DEMO_PLANT };
if (!result.ok) {
  process.stderr.write(`${file} is invalid (${result.code}):\n${result.errors.map((e) => `  - ${e}`).join('\n')}\n`);
  process.exit(1);
}
const { dataSource, close } = await openStandaloneDatabase();
try {
  await dataSource.runMigrations({ transaction: 'each' });
  const { PlantService } = await import('../modules/lines/plant.service.js');
  const { AuditService } = await import('../modules/audit/audit.service.js');
  const { MetricsService } = await import('../metrics/metrics.service.js');
  // Outside a request the audit actor is `system`.
  const audit = new AuditService(dataSource, new MetricsService());
  const summary = await new PlantService(dataSource, audit).apply(result.plant);
  console.log(`plant applied from ${file ?? 'the demo plant'}: ${summary.lines} lines, ${summary.stations} stations`);
} finally {
  await close();
}
