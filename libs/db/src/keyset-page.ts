import type { FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';
import { BadInputError } from '@brandshelf/core';

/**
 * One page of a list, by keyset: rows are ordered by (key, id) and a cursor names the (key, id) of a row, so a page
 * reads only its own rows however deep it is, and rows added or removed meanwhile neither repeat nor vanish.
 *
 * `limit` rows are taken after `after` (or from the start), or, with `fromEnd`, the last `limit` rows before `before`
 * (or before the end), returned in list order either way. The page size policy is the caller's (the API checks it).
 */
export interface KeysetRequest {
  limit: number;
  after?: string | null;
  before?: string | null;
  fromEnd?: boolean;
}

export interface KeysetOrder<E> {
  /** Entity property of the sort key; `id` breaks ties. */
  by: keyof E & string;
  direction: 'ASC' | 'DESC';
}

export interface KeysetPage<E> {
  rows: { node: E; cursor: string }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** Rows of the whole list (the `where`), on all pages. */
  totalCount: number;
}

/** Opaque to clients: base64url of [sort key name, key as PostgreSQL text, id]. */
export function encodeKeysetCursor(by: string, key: string, id: string): string {
  return Buffer.from(JSON.stringify([by, key, id])).toString('base64url');
}

/** The (key, id) a cursor names; BAD_USER_INPUT for anything this list did not give. */
export function decodeKeysetCursor(by: string, cursor: string, arg: string): { key: string; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== by ||
    typeof parsed[1] !== 'string' ||
    typeof parsed[2] !== 'string'
  ) {
    throw new BadInputError(`${arg} is not a cursor of this list; pass a cursor this list returned.`, arg);
  }
  return { key: parsed[1], id: parsed[2] };
}

/**
 * Reads one page of `where` (which must already hold the tenant filter) from `repository`, plus its total count.
 * The sort key travels in the cursor as PostgreSQL text (timestamps keep their microseconds) and is compared as
 * a row value with the id, so the order is total and stable.
 */
export async function keysetPage<E extends ObjectLiteral & { id: string }>(
  repository: Repository<E>,
  where: FindOptionsWhere<E>,
  order: KeysetOrder<E>,
  request: KeysetRequest,
): Promise<KeysetPage<E>> {
  const alias = 'page_row';
  const column = repository.metadata.findColumnWithPropertyName(order.by);
  const idColumn = repository.metadata.findColumnWithPropertyName('id');
  if (!column || !idColumn) throw new Error(`keysetPage: ${repository.metadata.name} has no ${order.by} or id`);
  const key = `${alias}.${column.databaseName}`;
  const id = `${alias}.${idColumn.databaseName}`;
  const after = request.after ? decodeKeysetCursor(order.by, request.after, 'after') : null;
  const before = request.before ? decodeKeysetCursor(order.by, request.before, 'before') : null;

  const base = () => repository.createQueryBuilder(alias).setFindOptions({ where });
  // "Later in the list" is a greater (key, id) ascending, a smaller one descending.
  const later = order.direction === 'ASC' ? '>' : '<';
  const earlier = order.direction === 'ASC' ? '<' : '>';

  const page = base();
  if (after)
    page.andWhere(`(${key}, ${id}) ${later} (:afterKey, :afterId)`, { afterKey: after.key, afterId: after.id });
  if (before) {
    page.andWhere(`(${key}, ${id}) ${earlier} (:beforeKey, :beforeId)`, { beforeKey: before.key, beforeId: before.id });
  }
  const reversed = Boolean(request.fromEnd);
  const direction = (order.direction === 'ASC') !== reversed ? 'ASC' : 'DESC';
  page
    .addSelect(`${key}::text`, 'page_cursor_key')
    .orderBy(key, direction)
    .addOrderBy(id, direction)
    .limit(request.limit + 1);

  const [{ entities, raw }, totalCount] = await Promise.all([
    page.getRawAndEntities<{ page_cursor_key: string }>(),
    base().getCount(),
  ]);
  const more = entities.length > request.limit;
  let rows = entities
    .slice(0, request.limit)
    .map((node, i) => ({ node, cursor: encodeKeysetCursor(order.by, raw[i].page_cursor_key, String(node.id)) }));
  if (reversed) rows = rows.reverse();

  // The far side of the cursor the page started from: is anything there? (one indexed probe, cursor row included)
  const beyond = async (cursor: { key: string; id: string } | null, op: string): Promise<boolean> => {
    if (!cursor) return false;
    return base()
      .andWhere(`(${key}, ${id}) ${op} (:probeKey, :probeId)`, { probeKey: cursor.key, probeId: cursor.id })
      .getExists();
  };
  return reversed
    ? { rows, totalCount, hasPreviousPage: more, hasNextPage: await beyond(before, `${later}=`) }
    : { rows, totalCount, hasNextPage: more, hasPreviousPage: await beyond(after, `${earlier}=`) };
}
