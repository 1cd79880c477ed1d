import type { DataSource, EntityManager } from 'typeorm';
import { decodeKeysetCursor, encodeKeysetCursor, type KeysetPage, type KeysetRequest } from '@brandshelf/db';

type Row = Record<string, any>;

/** A keyset-paged list in plain SQL: `from` and `where` (which must hold the tenant filter), ordered by (key, id). */
export interface SqlList {
  /** Cursor name of the sort key (a cursor of another list is refused). */
  name: string;
  select: string;
  from: string;
  where: string;
  params: unknown[];
  /** Sort key expression and its SQL type (for the cursor comparison). */
  key: string;
  keyType: 'timestamptz' | 'integer';
  /** Tie-breaker expression (a unique text or uuid). */
  id: string;
  idType: 'uuid' | 'text';
  direction: 'ASC' | 'DESC';
}

/** One page of `list` with its total count; the same contract as @brandshelf/db keysetPage. */
export async function sqlPage(
  db: DataSource | EntityManager,
  list: SqlList,
  request: KeysetRequest,
): Promise<KeysetPage<Row>> {
  const after = request.after ? decodeKeysetCursor(list.name, request.after, 'after') : null;
  const before = request.before ? decodeKeysetCursor(list.name, request.before, 'before') : null;
  const later = list.direction === 'ASC' ? '>' : '<';
  const earlier = list.direction === 'ASC' ? '<' : '>';
  const row = `(${list.key}, ${list.id})`;
  const at = (n: number) => `($${n}::${list.keyType}, $${n + 1}::${list.idType})`;
  const params = [...list.params];
  const conditions = [list.where];
  if (after) {
    params.push(after.key, after.id);
    conditions.push(`${row} ${later} ${at(params.length - 1)}`);
  }
  if (before) {
    params.push(before.key, before.id);
    conditions.push(`${row} ${earlier} ${at(params.length - 1)}`);
  }
  const reversed = Boolean(request.fromEnd);
  const direction = (list.direction === 'ASC') !== reversed ? 'ASC' : 'DESC';
  const rows: Row[] = await db.query(
    `SELECT ${list.select}, (${list.key})::text AS page_key, (${list.id})::text AS page_id FROM ${list.from}
     WHERE ${conditions.join(' AND ')} ORDER BY ${list.key} ${direction}, ${list.id} ${direction} LIMIT ${request.limit + 1}`,
    params,
  );
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM ${list.from} WHERE ${list.where}`, list.params);
  const more = rows.length > request.limit;
  let page = rows
    .slice(0, request.limit)
    .map((r) => ({ node: r, cursor: encodeKeysetCursor(list.name, r.page_key, r.page_id) }));
  if (reversed) page = page.reverse();
  const beyond = async (cursor: { key: string; id: string } | null, op: string): Promise<boolean> => {
    if (!cursor) return false;
    const p = [...list.params, cursor.key, cursor.id];
    const found: Row[] = await db.query(
      `SELECT 1 FROM ${list.from} WHERE ${list.where} AND ${row} ${op} ${at(p.length - 1)} LIMIT 1`,
      p,
    );
    return found.length > 0;
  };
  return reversed
    ? { rows: page, totalCount: n, hasPreviousPage: more, hasNextPage: await beyond(before, `${later}=`) }
    : { rows: page, totalCount: n, hasNextPage: more, hasPreviousPage: await beyond(after, `${earlier}=`) };
}
