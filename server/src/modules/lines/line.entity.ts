import { Column, CreateDateColumn, Entity, OneToMany, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { StationEntity } from './station.entity.js';

@Entity('lines')
export class LineEntity {
  @PrimaryColumn('text')
  key: string;

  @Column('text')
  name: string;

  @Column('text')
  site: string;

  @Column('double precision', { name: 'ideal_cycle_time_sec' })
  idealCycleTimeSec: number;

  @Column('integer')
  position: number;

  @OneToMany(() => StationEntity, (station) => station.line)
  stations: Relation<StationEntity[]>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
