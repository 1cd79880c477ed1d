import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Accounts1764000000000 implements MigrationInterface {
  name = 'Accounts1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE brand (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX brand_email_key ON brand (lower(email));

      CREATE TABLE creator (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        handle text NOT NULL,
        email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX creator_handle_key ON creator (lower(handle));
      CREATE UNIQUE INDEX creator_email_key ON creator (lower(email));

      -- Only a hash of each key is stored; the prefix finds the row without scanning.
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid REFERENCES brand(id) ON DELETE CASCADE,
        creator_id uuid REFERENCES creator(id) ON DELETE CASCADE,
        name text NOT NULL,
        prefix text NOT NULL UNIQUE,
        secret_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT api_key_one_owner CHECK ((brand_id IS NULL) <> (creator_id IS NULL))
      );
      CREATE INDEX api_key_brand_idx ON api_key (brand_id);
      CREATE INDEX api_key_creator_idx ON api_key (creator_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE api_key; DROP TABLE creator; DROP TABLE brand;');
  }
}
