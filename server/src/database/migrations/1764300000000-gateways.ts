import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The last heartbeat of every edge gateway (one row per gateway id). */
export class Gateways1764300000000 implements MigrationInterface {
  name = 'Gateways1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE gateways (
        gateway_id text PRIMARY KEY,
        version text NOT NULL,
        last_seen_at timestamptz(3) NOT NULL,
        outbox_depth bigint NOT NULL,
        oldest_age_seconds double precision,
        dropped bigint NOT NULL,
        last_ack_at timestamptz(3),
        reconnects bigint NOT NULL,
        rebirths bigint NOT NULL,
        mqtt_connected boolean NOT NULL,
        inputs jsonb NOT NULL DEFAULT '[]',
        first_seen_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE gateways`);
  }
}
