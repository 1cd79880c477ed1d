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
const DETAIL_ID_TYPES: Readonly<Record<string, string>> = { runId: 'IngestionRun', feedId: 'Feed' };

/**
 * An error's details as the API answers them (REST bodies, GraphQL `extensions`): the ids in them global, like every
 * other id the API answers (a CONFLICT's `runId` is the id the accepted upload's 202 and `node(id:)` use).
 */
export function publicDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    const type = DETAIL_ID_TYPES[key];
    out[key] = type && typeof value === 'string' && isUuid(value) ? toGlobalId(type, value) : value;
  }
  return out;
}
