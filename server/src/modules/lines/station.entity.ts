import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { LineEntity } from './line.entity.js';

@Entity('stations')
export class StationEntity {
  @PrimaryColumn('text', { name: 'line_key' })
  lineKey: string;

  @PrimaryColumn('text')
  key: string;

  @Column('text')
  name: string;

  @Column('double precision', { name: 'ideal_cycle_time_sec' })
  idealCycleTimeSec: number;

  /** Flow order within the line; the highest is the output station. */
  @Column('integer')
  position: number;

  @ManyToOne(() => LineEntity, (line) => line.stations)
  @JoinColumn({ name: 'line_key' })
  line: Relation<LineEntity>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
