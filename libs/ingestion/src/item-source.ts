import type { FeedEvent } from '@brandshelf/feeds';
import type { FeedEntity } from './feed.entity.js';
import type { IngestionRunEntity } from './ingestion-run.entity.js';

/**
 * Where a run's items come from when they are not a file: a store API (Shopify). The items then go
 * through the same validation, staging, images and publishing as file feeds.
 */
export interface ItemSourceResult {
  /** Items (and reader-level issues) in order; `row` is a 1-based position for diagnostics. */
  events: AsyncIterable<FeedEvent>;
  /**
   * Set for an incremental sync: the events hold only changed products, and the new version is the
   * feed's current version with these changes applied and these offer ids removed.
   */
  patch?: { removedOfferIds: () => string[] };
  /** Called once the run succeeded, e.g. to remember the sync cursor. */
  onSucceeded?: () => Promise<void>;
}

export interface ItemSourceOptions {
  /**
   * Read every item, not only what changed since the base version: what the run does to items changed since that
   * version was made (the feed's rules), so the items it would carry over are not what this run makes of them.
   */
  full?: boolean;
}

export interface ItemSource {
  supports(feed: FeedEntity): boolean;
  open(feed: FeedEntity, run: IngestionRunEntity, options?: ItemSourceOptions): Promise<ItemSourceResult>;
}

/** Multi-provider token: libs that own a feed source register an ItemSource under it. */
export const ITEM_SOURCES = Symbol('ITEM_SOURCES');
