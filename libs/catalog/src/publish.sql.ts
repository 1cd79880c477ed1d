/**
 * The SQL that turns a catalog version into live catalog rows (the statements that write catalog_product and
 * product_identity are their stores': CatalogProductStore, ProductIdentityStore). Product data is the primary item's
 * normalized JSON overlaid with the live supplemental (UPDATE_ONLY) data for the same offer id.
 * Parameters: $1 brand, $2 feed, $3 version, $4 offer-id filter (text[] or null for all),
 * $5 whether a processed main image is required (IMAGES_ENABLED), $6 the instant sale windows are judged at (SALE).
 */
import { CODE } from '@brandshelf/catalog-rules';

/** The item's processed images, main first, as the Product type shows them; main_ok when the main one is usable. */
export const IMAGES = `
  LEFT JOIN LATERAL (
    SELECT coalesce(jsonb_agg(jsonb_build_object(
             'sourceUrl', s.url, 'role', CASE WHEN u.ord = 0 THEN 'MAIN' ELSE 'ADDITIONAL' END,
             'width', s.width, 'height', s.height, 'placeholder', s.placeholder, 'dominantColor', s.dominant_color,
             'renditions', coalesce(s.renditions, '[]'::jsonb)) ORDER BY u.ord), '[]'::jsonb) AS images,
           coalesce(bool_or(u.ord = 0), false) AS main_ok
      FROM (SELECT d->>'imageLink' AS url, 0::bigint AS ord
            UNION ALL
            SELECT a.url, a.ord FROM jsonb_array_elements_text(coalesce(d->'additionalImageLinks', '[]'::jsonb))
                   WITH ORDINALITY AS a(url, ord)) u
      JOIN image_source s ON s.brand_id = $1 AND s.url = u.url AND s.status = 'PROCESSED'
  ) img ON true`;
export const OVERLAY = `
  LEFT JOIN LATERAL (
    SELECT jsonb_merge_agg(sir.data ORDER BY sf.created_at, sf.id) AS data,
           jsonb_merge_agg(coalesce(sir.data->'customAttributes', '{}'::jsonb) ORDER BY sf.created_at, sf.id) AS attrs,
           jsonb_agg(sir.data->'customLabels' ORDER BY sf.created_at, sf.id)
             FILTER (WHERE jsonb_typeof(sir.data->'customLabels') = 'array') AS labels,
           string_agg(sir.content_hash, ',' ORDER BY sf.created_at, sf.id) AS hash,
           -- The supplemental feeds whose sale price and sale window the product shows (the latest giving each).
           (array_agg(sf.id ORDER BY sf.created_at DESC, sf.id DESC) FILTER (WHERE sir.data ? 'salePriceMinor'))[1]
             AS sale_from,
           (array_agg(sf.id ORDER BY sf.created_at DESC, sf.id DESC)
             FILTER (WHERE sir.data->'customAttributes' ? 'sale_price_effective_date'))[1] AS window_from
      FROM feed sf
      JOIN version_item svi ON svi.version_id = sf.live_version_id AND svi.offer_id = vi.offer_id
      JOIN item_revision sir ON sir.feed_id = sf.id AND sir.offer_id = svi.offer_id AND sir.content_hash = svi.content_hash
     WHERE sf.brand_id = $1 AND sf.mode = 'UPDATE_ONLY'
  ) ov ON true`;

/**
 * The product as published: the primary item's data with the supplemental data over it, attribute by attribute. A
 * supplemental item carries only what its feed gave, but customAttributes and customLabels are one key each, so a
 * plain `||` let a promotions feed's sale window replace all of the product's custom attributes, and its one
 * custom_label_1 blank labels 0 and 2: those two are merged key by key and label by label (a label '' is one the
 * supplemental feed did not give; the latest feed giving a label wins; trailing blank labels are left out).
 */
export const MERGED = `
  CROSS JOIN LATERAL (SELECT ir.data || coalesce(ov.data, '{}'::jsonb)
    || CASE WHEN ov.data ? 'customAttributes'
         THEN jsonb_build_object('customAttributes', coalesce(ir.data->'customAttributes', '{}'::jsonb) || ov.attrs)
         ELSE '{}'::jsonb END
    || CASE WHEN ov.labels IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('customLabels', (
         SELECT coalesce(jsonb_agg(to_jsonb(m.v) ORDER BY m.i) FILTER (WHERE m.i <= m.last), '[]'::jsonb)
           FROM (SELECT s.i, s.v, max(CASE WHEN s.v <> '' THEN s.i END) OVER () AS last
                   FROM (SELECT g.i, coalesce(
                                  (SELECT e.l->>g.i FROM jsonb_array_elements(ov.labels) WITH ORDINALITY AS e(l, o)
                                    WHERE coalesce(e.l->>g.i, '') <> '' ORDER BY e.o DESC LIMIT 1),
                                  ir.data->'customLabels'->>g.i, '') AS v
                           FROM generate_series(0, 4) AS g(i)) s) m)) END AS d) x`;

/**
 * The product's sale as judged at $6: a sale price outside the sale_price_effective_date window the product shows is
 * not shown (as the validator drops it from an item that carries both), whichever feeds gave the two. A run judges an
 * item that carries both when it reads it, and keeps when that changes (catalog_version.next_sale_change_at); when
 * the price and the window come from different feeds (the primary's sale_price and a promotions feed's window, or the
 * other way round) no run sees both, so the next start or end is kept here (catalog_product.sale_change_at), for the
 * scheduler's tick to judge the product again then (OverlaidSaleWindows).
 */
export const SALE = `
  CROSS JOIN LATERAL (
    SELECT CASE WHEN w.win IS NULL OR w.win @> $6::timestamptz THEN (d->>'salePriceMinor')::bigint END AS minor,
           CASE WHEN w.split THEN CASE WHEN $6::timestamptz < lower(w.win) THEN lower(w.win)
                                       WHEN $6::timestamptz < upper(w.win) THEN upper(w.win) END END AS change_at
      FROM (SELECT CASE WHEN d->>'salePriceMinor' IS NOT NULL
                        THEN sale_price_window(d->'customAttributes'->>'sale_price_effective_date') END AS win,
                   coalesce(ov.sale_from, $2::uuid) IS DISTINCT FROM coalesce(ov.window_from, $2::uuid) AS split) w
  ) sale`;

/**
 * The text-search configuration of the feed's language (search_language), unaccent_simple (accent-folded words,
 * no stemming) for a language PostgreSQL has no stemmer for. Uncorrelated: evaluated once per statement.
 */
const SEARCH_CONFIG = `coalesce((SELECT sl.config FROM feed lf JOIN search_language sl ON sl.language = lf.language
   WHERE lf.id = $2), 'unaccent_simple'::regconfig)`;

export const COLUMNS = `id, brand_id, feed_id, version_id, offer_id, content_hash, overlay_hash, title, description, brand_name, link,
  image_link, additional_image_links, price_minor, sale_price_minor, effective_price_minor, currency, on_sale,
  sale_change_at, availability, condition, gtin, mpn, google_category_id, google_category_path, product_type,
  item_group_id, color, size, gender, age_group, quantity, custom_attributes, custom_labels, shipping, tax, images,
  identifier_exists, availability_date, material, pattern, mobile_link, search_config, published_at, updated_at`;

export const VALUES = `pi.id, $1::uuid, $2::uuid, $3::uuid, vi.offer_id, vi.content_hash, ov.hash,
  coalesce(d->>'title', vi.offer_id), coalesce(d->>'description', ''), d->>'brand', d->>'link', d->>'imageLink',
  ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'additionalImageLinks', '[]'::jsonb))),
  (d->>'priceMinor')::bigint, sale.minor, coalesce(sale.minor, (d->>'priceMinor')::bigint), d->>'currency',
  coalesce(sale.minor < (d->>'priceMinor')::bigint, false), sale.change_at,
  d->>'availability', d->>'condition', d->>'gtin', d->>'mpn', (d->>'googleProductCategoryId')::integer,
  d->>'googleProductCategoryPath', d->>'productType', d->>'itemGroupId', d->>'color', d->>'size', d->>'gender',
  d->>'ageGroup', (d->>'quantity')::integer, coalesce(d->'customAttributes', '{}'::jsonb),
  ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'customLabels', '[]'::jsonb))),
  coalesce(d->'shipping', '[]'::jsonb), coalesce(d->'tax', '[]'::jsonb), img.images,
  (d->>'identifierExists')::boolean, d->>'availabilityDate', d->>'material', d->>'pattern', d->>'mobileLink',
  ${SEARCH_CONFIG}, now(), now()`;

export const UPDATES = COLUMNS.split(',')
  .map((c) => c.trim())
  .filter((c) => !['id', 'brand_id', 'feed_id', 'offer_id', 'published_at'].includes(c))
  .map((c) => `${c} = EXCLUDED.${c}`)
  .join(', ');

/** How many of the version's items are publishable (all of them, or those with a processed main image). */
export const COUNT_PUBLISHABLE = `
  SELECT count(*)::int AS total
    FROM version_item vi
    JOIN item_revision ir ON ir.feed_id = $2 AND ir.offer_id = vi.offer_id AND ir.content_hash = vi.content_hash
   WHERE vi.version_id = $3 AND ($4::text[] IS NULL OR vi.offer_id = ANY($4))
     AND (NOT $5::boolean OR EXISTS (
       SELECT 1 FROM image_source s WHERE s.brand_id = $1 AND s.url = ir.data->>'imageLink' AND s.status = 'PROCESSED'))`;

/**
 * The version's items a publish leaves out for want of a processed main image ($5 set), counted by reason:
 * the main image's failure code (IMAGE_UNREACHABLE, IMAGE_TOO_SMALL, …) or IMAGE_NOT_PROCESSED when it has
 * not been fetched (yet).
 */
export const LEFT_OUT_BY_REASON = `
  SELECT CASE WHEN s.status = 'FAILED' THEN coalesce(s.error_code, '${CODE.IMAGE_FAILED}') ELSE '${CODE.IMAGE_NOT_PROCESSED}' END
           AS reason,
         count(*)::int AS count
    FROM version_item vi
    JOIN item_revision ir ON ir.feed_id = $2 AND ir.offer_id = vi.offer_id AND ir.content_hash = vi.content_hash
    LEFT JOIN image_source s ON s.brand_id = $1 AND s.url = ir.data->>'imageLink'
   WHERE $5::boolean AND vi.version_id = $3 AND ($4::text[] IS NULL OR vi.offer_id = ANY($4))
     AND s.status IS DISTINCT FROM 'PROCESSED'
   GROUP BY 1
   ORDER BY 2 DESC, 1`;
