/**
 * The raw (database) id behind an id the API answered. The API's ids are global (apps/api/src/graphql/global-id.ts:
 * base64url of `Type:rawId`); tests that read the database with them decode first. A bare UUID is returned as is.
 * Kept here, not imported from the app, because libs never import the app; apps/api/test/relay.e2e.spec.ts checks
 * that it agrees with the app's decoder.
 */
export function rawId(id: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return id.toLowerCase();
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) throw new Error(`${id} is not a global id`);
  return text.slice(colon + 1);
}

/** The type name a global id carries. */
export function idType(id: string): string {
  const text = Buffer.from(id, 'base64url').toString('utf8');
  return text.slice(0, text.indexOf(':'));
}

/** The global id of a product read from the database, as the API answers it. */
export const productId = (raw: string): string => Buffer.from(`Product:${raw}`, 'utf8').toString('base64url');
