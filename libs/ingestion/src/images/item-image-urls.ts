/** The image URLs of an item, main first (ord 0). Expects `d` to be the item's data. */
export const ITEM_IMAGE_URLS = `
  SELECT d->>'imageLink' AS url, 0::bigint AS ord WHERE d->>'imageLink' IS NOT NULL
  UNION ALL
  SELECT x.url, x.ord FROM jsonb_array_elements_text(coalesce(d->'additionalImageLinks', '[]'::jsonb)) WITH ORDINALITY AS x(url, ord)`;
