import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export interface ShiftDefinition {
  name: string;
  start: string;
  end: string;
}

/** The plant-wide part of the plant file: one row. */
@Entity('plant_settings')
export class PlantSettingsEntity {
  @PrimaryColumn('smallint')
  id: number;

  @Column('text')
  timezone: string;

  @Column('text', { name: 'production_day_start' })
  productionDayStart: string;

  @Column('integer', { name: 'micro_stop_seconds' })
  microStopSeconds: number;

  @Column('jsonb')
  shifts: ShiftDefinition[];

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
