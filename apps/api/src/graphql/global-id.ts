import { BadInputError, isUuid } from '@brandshelf/core';

/**
 * Relay global ids: every object a client can refetch with `node(id:)` has an id unique across all types. The id is
 * the base64url of `<Type>:<rawId>` (no padding), opaque to clients and safe in a URL path segment, so the same id
 * works in GraphQL and in REST paths (`/feeds/:feedId/uploads`).
 *
 * Input is lenient, output strict: `fromGlobalId` also accepts a bare raw id (a UUID, as the API answered before
 * global ids), so clients written against the old contract keep working; every id the API answers is global.
 */
export function toGlobalId(type: string, rawId: string): string {
  return Buffer.from(`${type}:${rawId}`, 'utf8').toString('base64url');
}

export interface DecodedGlobalId {
  type: string | null;
  rawId: string;
}

const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;

/** Decodes without checking the type; `type` is null for a bare raw id. Malformed ids are BAD_USER_INPUT. */
export function decodeGlobalId(id: string, argument = 'id'): DecodedGlobalId {
  if (isUuid(id)) return { type: null, rawId: id.toLowerCase() };
  if (!/^[A-Za-z0-9_-]+$/.test(id) || id.length > 200) {
    throw new BadInputError(`${argument} is not an id this API gave out.`, argument);
  }
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  const type = text.slice(0, colon);
  const rawId = text.slice(colon + 1);
  if (colon <= 0 || !TYPE_NAME.test(type) || !rawId) {
    throw new BadInputError(`${argument} is not an id this API gave out.`, argument);
  }
  return { type, rawId };
}

/**
 * The raw id behind a global id of one of the expected types (or a bare raw id). An id of another type is
 * BAD_USER_INPUT naming both types, so a client that passes a run's id where a feed's is wanted learns why.
 */
export function fromGlobalId(id: string, expected: string | readonly string[], argument = 'id'): string {
  const types = typeof expected === 'string' ? [expected] : expected;
  const decoded = decodeGlobalId(id, argument);
  if (decoded.type !== null && !types.includes(decoded.type)) {
    throw new BadInputError(
      `${argument} is the id of a ${decoded.type}; a ${types.join(' or ')} id is expected here.`,
      argument,
    );
  }
  return decoded.rawId;
}

/** Ids an error's details carry (set by the libs, which know raw ids only), by the type that gives them out. */
const DETAIL_ID_TYPES: Readonly<Record<string, string>> = {
  runId: 'IngestionRun',
  feedId: 'Feed',
  productId: 'Product',
};

/**
 * The types a NotFoundError's `id` can be read as: its `idType` detail when the lib sets one (the id of another type
 * than the entity missing: a Shopify store looked up by its feed's id), else its entity when that is one of these.
 */
const ENTITY_ID_TYPES = new Set([
  'ApiKey',
  'Campaign',
  'CatalogVersion',
  'ChannelExport',
  'CommissionOffer',
  'Feed',
  'IngestionRun',
  'Product',
  'ProductSet',
  'Publication',
  'ShopifyStore',
]);

/** [raw UUID, its global id] for every id an error's details name whose type is known. */
function detailIds(details: Record<string, unknown>): [string, string][] {
  const ids: [string, string][] = [];
  for (const [key, value] of Object.entries(details)) {
    const type = key === 'id' ? notFoundIdType(details) : DETAIL_ID_TYPES[key];
    if (type && typeof value === 'string' && isUuid(value)) ids.push([value, toGlobalId(type, value.toLowerCase())]);
  }
  return ids;
}

function notFoundIdType(details: Record<string, unknown>): string | null {
  const type = typeof details.idType === 'string' ? details.idType : details.entity;
  return typeof type === 'string' && ENTITY_ID_TYPES.has(type) ? type : null;
}

/**
 * An error's details as the API answers them (REST bodies, GraphQL `extensions`): the ids in them global, like every
 * other id the API answers (a CONFLICT's `runId` is the id the accepted upload's 202 and `node(id:)` use). `idType`,
 * a hint from the libs, is not answered.
 */
export function publicDetails(details: Record<string, unknown>): Record<string, unknown> {
  const global = new Map(detailIds(details));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (key === 'idType') continue;
    out[key] = typeof value === 'string' && global.has(value) ? global.get(value) : value;
  }
  return out;
}

/**
 * An error's message as the API answers it (GraphQL `errors` and `userErrors`, REST bodies): the libs write the raw
 * ids they know ("Feed 3f2a… was not found", "Feed … already has run …"), and every id its details name is answered
 * as the global id the client uses everywhere else, in any case the raw id was written. The one place messages get
 * their ids: the libs add the ids a message names to the error's details (runId, feedId, productId, a NotFoundError's
 * id), and this rewrites them.
 */
export function publicMessage(message: string, details: Record<string, unknown>): string {
  let out = message;
  for (const [raw, global] of detailIds(details)) {
    out = out.replace(new RegExp(raw.replace(/-/g, '\\-'), 'gi'), global);
  }
  return out;
}
