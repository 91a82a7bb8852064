import { UserEntity } from '../modules/auth/user.entity.js';
import { LineEntity } from '../modules/lines/line.entity.js';
import { PlantSettingsEntity } from '../modules/lines/plant-settings.entity.js';
import { StationEntity } from '../modules/lines/station.entity.js';

/** Entities mapped by TypeORM. Event tables are written with set-based SQL and need no entity. */
export const ENTITIES = [LineEntity, StationEntity, PlantSettingsEntity, UserEntity];
