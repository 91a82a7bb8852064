import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in sessions (rotating refresh tokens), display and ingest tokens, the last sign-in of each user,
 * and the append-only audit log. The database itself refuses UPDATE, DELETE and TRUNCATE on
 * `audit_log` (a statement trigger fires even for superusers and for statements touching no row).
 */
export class AccessAndAudit1764290000000 implements MigrationInterface {
  name = 'AccessAndAudit1764290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN last_login_at timestamptz(3)`);
    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        family_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        rotated_at timestamptz(3),
        revoked_at timestamptz(3)
      )`);
    await q.query(`CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)`);
    await q.query(`CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id)`);
    for (const table of ['display_tokens', 'ingest_tokens']) {
      await q.query(`
        CREATE TABLE ${table} (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          name text NOT NULL,
          token_hash text NOT NULL UNIQUE,
          created_by text NOT NULL,
          created_at timestamptz(3) NOT NULL DEFAULT now(),
          last_used_at timestamptz(3),
          revoked_at timestamptz(3)
        )`);
    }
    await q.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz(3) NOT NULL DEFAULT now(),
        actor text NOT NULL,
        role text,
        action text NOT NULL,
        entity text NOT NULL,
        entity_id text,
        before jsonb,
        after jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_log_actor ON audit_log (actor, at DESC)`);
    await q.query(`CREATE INDEX audit_log_action ON audit_log (action, at DESC)`);
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
    await q.query(`DROP TABLE ingest_tokens`);
    await q.query(`DROP TABLE display_tokens`);
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`ALTER TABLE users DROP COLUMN last_login_at`);
  }
}
