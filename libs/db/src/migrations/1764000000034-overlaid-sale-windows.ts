import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sale windows judged where a primary and a supplemental feed meet. When a product's sale_price comes from one feed
 * and its sale_price_effective_date from another, no run sees both, so publishing judges the window on the overlaid
 * product: sale_price_window() reads the window as the validator does (item.validator.ts saleBound; a test holds the
 * two equal), and catalog_product.sale_change_at keeps when such a product's sale next starts or ends, for the
 * scheduler's minute tick to judge it again then (the partial index: few products have one).
 */
export class OverlaidSaleWindows1764000000034 implements MigrationInterface {
  name = 'OverlaidSaleWindows1764000000034';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION sale_price_window_bound(t text, is_end boolean) RETURNS timestamptz
        LANGUAGE plpgsql IMMUTABLE AS $$
      DECLARE
        m text[] := regexp_match(t, '^(\\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])(?:[T ]([01]\\d|2[0-3]):([0-5]\\d)(?::([0-5]\\d)(?:\\.(\\d+))?)?(Z|[+-](?:0\\d|1[0-4])(?::?[0-5]\\d)?)?)?$');
        y int;
        instant timestamptz;
        digits text;
      BEGIN
        IF m IS NULL THEN RETURN NULL; END IF;
        -- As JavaScript's Date.UTC, which the validator uses: years 0-99 are 1900-1999.
        y := m[1]::int;
        IF y < 100 THEN y := y + 1900; END IF;
        -- A day its month does not have (2025-02-30) is no bound, as in the validator.
        IF m[3]::int > extract(day FROM make_date(y, m[2]::int, 1) + interval '1 month' - interval '1 day') THEN
          RETURN NULL;
        END IF;
        instant := make_timestamptz(y, m[2]::int, m[3]::int, coalesce(m[4], '0')::int, coalesce(m[5], '0')::int,
                                    coalesce(m[6], '0')::int, 'UTC');
        IF m[7] IS NOT NULL THEN
          instant := instant + floor(('0.' || m[7])::float8 * 1000) * interval '1 millisecond';
        END IF;
        -- A date alone starts at midnight UTC, and as an end includes its day.
        IF m[4] IS NULL THEN
          RETURN CASE WHEN is_end THEN instant + interval '1 day' ELSE instant END;
        END IF;
        IF m[8] IS NOT NULL AND m[8] <> 'Z' THEN
          digits := replace(substr(m[8], 2), ':', '');
          instant := instant - (CASE WHEN left(m[8], 1) = '-' THEN -1 ELSE 1 END)
            * (substr(digits, 1, 2)::int * 60 + coalesce(nullif(substr(digits, 3), ''), '0')::int) * interval '1 minute';
        END IF;
        RETURN instant;
      END $$;

      -- A sale_price_effective_date ("start/end") as the instants it holds between, null when it cannot be read or
      -- ends before it starts (the validator ignores such a window, so the sale price applies with no start or end).
      CREATE FUNCTION sale_price_window(w text) RETURNS tstzrange LANGUAGE plpgsql IMMUTABLE AS $$
      DECLARE
        parts text[] := string_to_array(w, '/');
        s timestamptz;
        e timestamptz;
      BEGIN
        IF coalesce(array_length(parts, 1), 0) <> 2 THEN RETURN NULL; END IF;
        s := sale_price_window_bound(btrim(parts[1]), false);
        e := sale_price_window_bound(btrim(parts[2]), true);
        IF s IS NULL OR e IS NULL OR e <= s THEN RETURN NULL; END IF;
        RETURN tstzrange(s, e, '[)');
      END $$;

      ALTER TABLE catalog_product ADD COLUMN sale_change_at timestamptz;
      CREATE INDEX catalog_product_sale_change_idx ON catalog_product (sale_change_at) WHERE sale_change_at IS NOT NULL;

      -- A product published before this may show a sale outside the window another feed gave it: each live product
      -- with a sale price and a window is judged again at the scheduler's first tick.
      UPDATE catalog_product SET sale_change_at = now()
       WHERE sale_price_minor IS NOT NULL AND custom_attributes ? 'sale_price_effective_date';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX catalog_product_sale_change_idx;
      ALTER TABLE catalog_product DROP COLUMN sale_change_at;
      DROP FUNCTION sale_price_window(text);
      DROP FUNCTION sale_price_window_bound(text, boolean);
    `);
  }
}
