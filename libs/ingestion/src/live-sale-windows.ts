/**
 * Sales the scheduler's tick judges on live products rather than by reading a file again: those whose sale price and
 * sale window come from different feeds (a primary and a supplemental one), which no run sees together. Libs/catalog
 * judges them where the feeds meet, at publish, and registers this under LIVE_SALE_WINDOWS without ingestion
 * depending on it (as ITEM_SOURCES).
 */
export interface LiveSaleWindows {
  /**
   * Judges again, at `now`, every live product whose sale starts or ends at or before `now`, each boundary once
   * (overlapping calls never act on one twice); answers how many products it rewrote.
   */
  applyDue(now: Date): Promise<number>;
}

export const LIVE_SALE_WINDOWS = Symbol('LIVE_SALE_WINDOWS');
