/**
 * TypeORM's `query()` answers a SELECT (or INSERT … RETURNING) with the rows, but an UPDATE or DELETE with
 * `[rows, affectedCount]`. This gives the rows either way, so callers of `… RETURNING` need not care.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return (Array.isArray(result) ? result : []) as T[];
}
