import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creators earn (libs/earnings): brands' affiliate settings (windows, the conversion secret), reported orders,
 * the commission lines they attribute, the append-only ledger of what happened to each line's commission, and a
 * rollup of the ledger per creator, brand, currency, month and status.
 *
 * Ledger entries are never updated (a trigger refuses it): a correction is a new entry. Each entry moves an amount
 * into a status (from another one, or from nothing for a new commission); commission_line's balances and
 * earnings_rollup are sums of the entries, written in the same transaction as them, so totals by status are exact
 * and read without scanning the ledger.
 */
export class Earnings1764000000014 implements MigrationInterface {
  name = 'Earnings1764000000014';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- One row per brand that changed a default or created a conversion secret (absent: the defaults).
      CREATE TABLE affiliate_settings (
        brand_id uuid PRIMARY KEY REFERENCES brand(id) ON DELETE CASCADE,
        attribution_window_days integer NOT NULL DEFAULT 7 CHECK (attribution_window_days BETWEEN 1 AND 90),
        return_window_days integer NOT NULL DEFAULT 30 CHECK (return_window_days BETWEEN 0 AND 365),
        -- Sealed with the SecretBox (HMAC verification needs the secret itself); never returned by any query.
        conversion_secret_sealed text,
        conversion_secret_prefix text,
        conversion_secret_created_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      -- A reported order: one per (brand, order id), whatever its outcome, so a repeated report changes nothing.
      CREATE TABLE conversion (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        order_id text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN
          ('ATTRIBUTED', 'OUTSIDE_WINDOW', 'SELF_REFERRAL', 'UNKNOWN_CLICK', 'NO_COMMISSION', 'NO_LINKED_PRODUCT')),
        reason text NOT NULL,
        source text NOT NULL CHECK (source IN ('SIGNED_POST', 'API_KEY')),
        -- The click it was attributed to (affiliate_click.id), kept as a value: deleting a link keeps the ledger.
        click_row_id uuid,
        -- SET NULL: a deleted creator's lines go, but the brand's record of the order (and its idempotency) stays.
        creator_id uuid REFERENCES creator(id) ON DELETE SET NULL,
        currency text NOT NULL,
        ordered_at timestamptz NOT NULL,
        clicked_at timestamptz,
        lines jsonb NOT NULL,
        refund_ids text[] NOT NULL DEFAULT '{}',
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (brand_id, order_id)
      );

      -- An attributed order line: the amounts are fixed at report time; the balance columns are the sum of its
      -- ledger entries by status (maintained with them) and always add up to commission_minor.
      CREATE TABLE commission_line (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversion_id uuid NOT NULL REFERENCES conversion(id) ON DELETE CASCADE,
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        creator_id uuid NOT NULL REFERENCES creator(id) ON DELETE CASCADE,
        product_id uuid NOT NULL,
        line_no integer NOT NULL,
        quantity integer NOT NULL,
        currency text NOT NULL,
        base_minor bigint NOT NULL CHECK (base_minor >= 0),
        rate_percent numeric(5,2) NOT NULL,
        commission_minor bigint NOT NULL CHECK (commission_minor >= 0),
        ordered_at timestamptz NOT NULL,
        earned_month date NOT NULL,
        approve_after timestamptz NOT NULL,
        refunded_base_minor bigint NOT NULL DEFAULT 0,
        pending_minor bigint NOT NULL DEFAULT 0,
        approved_minor bigint NOT NULL DEFAULT 0,
        paid_minor bigint NOT NULL DEFAULT 0,
        reversed_minor bigint NOT NULL DEFAULT 0,
        CHECK (refunded_base_minor BETWEEN 0 AND base_minor),
        CHECK (pending_minor >= 0 AND approved_minor >= 0 AND paid_minor >= 0 AND reversed_minor >= 0),
        UNIQUE (conversion_id, line_no)
      );
      CREATE INDEX commission_line_due_idx ON commission_line (approve_after) WHERE pending_minor > 0;
      CREATE INDEX commission_line_payable_idx ON commission_line (brand_id, creator_id, currency)
        WHERE approved_minor > 0;
      CREATE INDEX commission_line_report_idx ON commission_line (brand_id, creator_id, product_id);

      -- Append-only: what happened to a line's commission. kind COMMISSION (+, into PENDING), APPROVAL (PENDING →
      -- APPROVED), PAYOUT (APPROVED → PAID), REVERSAL (negative, from where the money was → REVERSED, naming the
      -- COMMISSION entry it corrects).
      CREATE TABLE ledger_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        line_id uuid NOT NULL REFERENCES commission_line(id) ON DELETE CASCADE,
        conversion_id uuid NOT NULL REFERENCES conversion(id) ON DELETE CASCADE,
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        creator_id uuid NOT NULL REFERENCES creator(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('COMMISSION', 'APPROVAL', 'PAYOUT', 'REVERSAL')),
        from_status text CHECK (from_status IN ('PENDING', 'APPROVED', 'PAID')),
        to_status text NOT NULL CHECK (to_status IN ('PENDING', 'APPROVED', 'PAID', 'REVERSED')),
        amount_minor bigint NOT NULL,
        currency text NOT NULL,
        earned_month date NOT NULL,
        reverses_id uuid REFERENCES ledger_entry(id) ON DELETE CASCADE,
        refunded_base_minor bigint,
        reason text CHECK (reason IN ('REFUND', 'CANCELLATION')),
        note text,
        refund_id text,
        payout_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'REVERSAL') = (amount_minor < 0 OR reason IS NOT NULL))
      );
      CREATE INDEX ledger_entry_creator_idx ON ledger_entry (creator_id, seq DESC);
      CREATE INDEX ledger_entry_line_idx ON ledger_entry (line_id);
      CREATE FUNCTION ledger_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'ledger entries are append-only: write a correcting entry'; END $$;
      CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
        FOR EACH ROW EXECUTE FUNCTION ledger_entry_append_only();

      -- The ledger summed per creator, brand, currency, earning month (the order's) and status: what earnings
      -- totals read. amount_minor is the balance in that status; entries counts the entries that moved money in.
      CREATE TABLE earnings_rollup (
        creator_id uuid NOT NULL REFERENCES creator(id) ON DELETE CASCADE,
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        currency text NOT NULL,
        month date NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'PAID', 'REVERSED')),
        amount_minor bigint NOT NULL DEFAULT 0,
        entries bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (creator_id, brand_id, currency, month, status)
      );
      CREATE INDEX earnings_rollup_brand_idx ON earnings_rollup (brand_id, status, creator_id, currency);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE earnings_rollup; DROP TABLE ledger_entry; DROP FUNCTION ledger_entry_append_only();
      DROP TABLE commission_line; DROP TABLE conversion; DROP TABLE affiliate_settings;`);
  }
}
