import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ISO 639-1 codes with a stemming configuration shipped with PostgreSQL. Every other language (Czech, Polish,
 * Slovak, …) is indexed with `unaccent_simple`: words lower-cased and accent-folded, not stemmed.
 */
export const SEARCH_LANGUAGES: Record<string, string> = {
  ar: 'arabic',
  hy: 'armenian',
  eu: 'basque',
  ca: 'catalan',
  da: 'danish',
  nl: 'dutch',
  en: 'english',
  fi: 'finnish',
  fr: 'french',
  de: 'german',
  el: 'greek',
  hi: 'hindi',
  hu: 'hungarian',
  id: 'indonesian',
  ga: 'irish',
  it: 'italian',
  lt: 'lithuanian',
  ne: 'nepali',
  no: 'norwegian',
  nb: 'norwegian',
  nn: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  es: 'spanish',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};

/**
 * Search beyond English. Each built-in configuration gets an accent-folding copy, `unaccent_<name>` (words with
 * letters outside ASCII go through the unaccent dictionary before the stemmer; ASCII words are unchanged, so
 * English ranking and stemming stay as they were). A live product is indexed with the configuration of its
 * feed's language, kept on the row (`search_config`) so a query can be read per language; the small btree
 * index lists the configurations present in the catalog in a few index probes.
 */
export class SearchLanguages1764000000010 implements MigrationInterface {
  name = 'SearchLanguages1764000000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    // Older servers lack some configurations (armenian, serbian, … came with PostgreSQL 13): those languages
    // fall back to unaccent_simple, like languages without a stemmer.
    const available = new Set(
      ((await q.query('SELECT cfgname FROM pg_ts_config')) as { cfgname: string }[]).map((r) => r.cfgname),
    );
    const configs = ['simple', ...new Set(Object.values(SEARCH_LANGUAGES))].filter((c) => available.has(c));
    for (const name of configs) {
      await q.query(`
        CREATE TEXT SEARCH CONFIGURATION unaccent_${name} (COPY = pg_catalog.${name});
        ALTER TEXT SEARCH CONFIGURATION unaccent_${name}
          ALTER MAPPING FOR word, hword, hword_part WITH unaccent, ${name === 'simple' ? 'simple' : `${name}_stem`};
      `);
    }
    await q.query(`
      CREATE TABLE search_language (
        language text PRIMARY KEY,
        config regconfig NOT NULL
      );
      COMMENT ON TABLE search_language IS
        'Text-search configuration per feed language (ISO 639-1); any other language uses unaccent_simple.';
    `);
    for (const [language, name] of Object.entries(SEARCH_LANGUAGES)) {
      if (!available.has(name)) continue;
      await q.query('INSERT INTO search_language (language, config) VALUES ($1, $2::regconfig)', [
        language,
        `unaccent_${name}`,
      ]);
    }
    await q.query(`
      ALTER TABLE catalog_product DROP COLUMN search;
      ALTER TABLE catalog_product ADD COLUMN search_config regconfig NOT NULL DEFAULT 'unaccent_english';
      UPDATE catalog_product p SET search_config = coalesce(sl.config, 'unaccent_simple')
        FROM feed f LEFT JOIN search_language sl ON sl.language = f.language
       WHERE f.id = p.feed_id AND f.language <> 'en';
      ALTER TABLE catalog_product ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(search_config, coalesce(title, '')), 'A') ||
        setweight(to_tsvector(search_config, coalesce(brand_name, '')), 'B') ||
        setweight(to_tsvector(search_config, coalesce(product_type, '') || ' ' || coalesce(google_category_path, '')), 'B') ||
        setweight(to_tsvector(search_config, left(coalesce(description, ''), 2000)), 'C')
      ) STORED;
      CREATE INDEX catalog_product_search_idx ON catalog_product USING gin (search);
      CREATE INDEX catalog_product_brand_search_idx ON catalog_product USING gin (brand_id, search);
      CREATE INDEX catalog_product_search_config_idx ON catalog_product (search_config);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE catalog_product DROP COLUMN search;
      ALTER TABLE catalog_product DROP COLUMN search_config;
      ALTER TABLE catalog_product ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(brand_name, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(product_type, '') || ' ' || coalesce(google_category_path, '')), 'B') ||
        setweight(to_tsvector('english', left(coalesce(description, ''), 2000)), 'C')
      ) STORED;
      CREATE INDEX catalog_product_search_idx ON catalog_product USING gin (search);
      CREATE INDEX catalog_product_brand_search_idx ON catalog_product USING gin (brand_id, search);
      DROP TABLE search_language;
    `);
    const configs = (await q.query(
      `SELECT cfgname FROM pg_ts_config WHERE cfgname LIKE 'unaccent\\_%'
          AND cfgnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`,
    )) as { cfgname: string }[];
    for (const { cfgname } of configs) await q.query(`DROP TEXT SEARCH CONFIGURATION ${cfgname}`);
  }
}
