import { InitialSchema1764288000000 } from './1764288000000-initial-schema.js';
import { AccessAndAudit1764290000000 } from './1764290000000-access-and-audit.js';
import { Gateways1764300000000 } from './1764300000000-gateways.js';
import { History1764310000000 } from './1764310000000-history.js';
import { StopsAndAndon1764320000000 } from './1764320000000-stops-and-andon.js';
import { LineAndonRules1764330000000 } from './1764330000000-line-andon-rules.js';
import { KpiRollups1764340000000 } from './1764340000000-kpi-rollups.js';
import { KpiReasonBuckets1764350000000 } from './1764350000000-kpi-reason-buckets.js';

/** Class references, not globs: ESM-safe in dist and in tests alike. Append new migrations here. */
export const MIGRATIONS = [
  InitialSchema1764288000000,
  AccessAndAudit1764290000000,
  Gateways1764300000000,
  History1764310000000,
  StopsAndAndon1764320000000,
  LineAndonRules1764330000000,
  KpiRollups1764340000000,
  KpiReasonBuckets1764350000000,
];
