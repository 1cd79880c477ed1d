export * from './search.module.js';
export * from './search.service.js';
export * from './search.types.js';
export { decodeCursor, encodeCursor, type CursorData, type MatchMode } from './cursor.js';
export { decimalToMinor, minorToDecimal, money, parseDecimal, priceSteps, bucketBounds } from './money.js';
export {
  planSearch,
  pageQuery,
  summaryQuery,
  baseConditions,
  scoreExpression,
  DEFAULT_PAGE,
  MAX_PAGE,
  MAX_QUERY_LENGTH,
  RELEVANCE_CANDIDATES,
  PRODUCT_COLUMNS,
  Params,
  type SearchPlan,
} from './search.sql.js';
