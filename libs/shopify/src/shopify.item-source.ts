import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { FeedReadError, type FeedEvent } from '@brandshelf/feeds';
import {
  IngestionRunStore,
  type FeedEntity,
  type IngestionRunEntity,
  type ItemSource,
  type ItemSourceOptions,
  type ItemSourceResult,
} from '@brandshelf/ingestion';
import { ShopifyApiError } from './admin-api.client.js';
import { PRODUCT_ID_ATTRIBUTE } from './product.mapper.js';
import { ShopifyCatalogReader, type OffersByProduct } from './shopify-catalog.reader.js';
import { ShopifyClients } from './shopify-clients.js';
import { SHOPIFY_SETTINGS, type ShopifySettings } from './shopify.settings.js';
import { ShopifyStoreEntity } from './shopify-store.entity.js';
import { ShopifyStoreStore } from './shopify-store.store.js';
import { ShopifySyncCursorStore } from './shopify-sync-cursor.store.js';

/**
 * An incremental sync asks for products updated a little before the cursor: Shopify's product search
 * (which the updated_at filter uses) is indexed shortly after a write, and re-reading an unchanged
 * product costs one comparison of its hash.
 */
const CURSOR_OVERLAP_MS = 5 * 60_000;

/**
 * The pipeline takes a run that wrote no progress for a minute as abandoned. A sync can be quiet that
 * long without yielding an item (the id listing of a large store, a throttled stretch), so it marks
 * the run alive itself.
 */
const HEARTBEAT_MS = 20_000;

/**
 * SHOPIFY feeds read their items from the store's Admin API. The first sync of a store, a sync after
 * syncShopifyStore(full: true), and any sync whose base version has no recorded cursor read every
 * product; the others read what changed since the base version's cursor and patch that version.
 */
@Injectable()
export class ShopifyItemSource implements ItemSource {
  constructor(
    @InjectRepository(ShopifyStoreEntity) private readonly stores: Repository<ShopifyStoreEntity>,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(ShopifyClients) private readonly clients: ShopifyClients,
    @Inject(SHOPIFY_SETTINGS) private readonly settings: ShopifySettings,
    @Inject(IngestionRunStore) private readonly runs: IngestionRunStore,
    @Inject(ShopifyStoreStore) private readonly storeRows: ShopifyStoreStore,
    @Inject(ShopifySyncCursorStore) private readonly cursors: ShopifySyncCursorStore,
  ) {}

  supports(feed: FeedEntity): boolean {
    return feed.source === 'SHOPIFY';
  }

  async open(feed: FeedEntity, run: IngestionRunEntity, options: ItemSourceOptions = {}): Promise<ItemSourceResult> {
    const store = await this.stores.findOne({ where: { feedId: feed.id, brandId: feed.brandId } });
    if (!store) {
      return {
        events: failWith(new FeedReadError('SHOPIFY_NOT_CONNECTED', 'This Shopify feed has no connected store.')),
      };
    }
    // The same base the pipeline patches: the live version, else the newest one.
    const baseVersionId = feed.liveVersionId ?? (await this.latestVersionId(feed.id));
    const cursor =
      baseVersionId && !store.fullSyncRequested && !options.full ? await this.cursorOf(baseVersionId) : null;
    const client = this.clients.forStore(store);
    const reader = new ShopifyCatalogReader(client, { idStrategy: store.idStrategy, pageSize: this.settings.pageSize });
    const onSucceeded = async () => {
      const syncedAt = client.firstAnswerAt ?? new Date();
      await this.recordSync(store, run.id, baseVersionId, syncedAt, cursor === null);
    };
    if (!cursor) return { events: this.guarded(run, reader.full()), onSucceeded };

    const base = await this.offersByProduct(baseVersionId!, feed.id);
    const removed = new Set<string>();
    return {
      events: this.guarded(run, reader.incremental(new Date(cursor.getTime() - CURSOR_OVERLAP_MS), base, removed)),
      patch: { removedOfferIds: () => [...removed] },
      onSucceeded,
    };
  }

  /** The events with store failures as run failures, and the run kept alive while they flow. */
  private async *guarded(
    run: Pick<IngestionRunEntity, 'id' | 'brandId'>,
    events: AsyncGenerator<FeedEvent>,
  ): AsyncGenerator<FeedEvent> {
    const beat = setInterval(() => {
      this.runs.heartbeat(run.brandId, run.id).catch(() => undefined);
    }, HEARTBEAT_MS);
    beat.unref();
    try {
      yield* events;
    } catch (error) {
      if (error instanceof ShopifyApiError) {
        // FeedReadError is how a source stops a run with a code and a hint: SHOPIFY_<code>, a SYNC_ERROR of the catalogue.
        throw new FeedReadError(`SHOPIFY_${error.code}`, `Shopify sync failed: ${error.message}`);
      }
      throw error;
    } finally {
      clearInterval(beat);
    }
  }

  private async latestVersionId(feedId: string): Promise<string | null> {
    const rows: { id: string }[] = await this.db.query(
      'SELECT id FROM catalog_version WHERE feed_id = $1 ORDER BY number DESC LIMIT 1',
      [feedId],
    );
    return rows[0]?.id ?? null;
  }

  private async cursorOf(versionId: string): Promise<Date | null> {
    const rows: { synced_at: Date }[] = await this.db.query(
      'SELECT synced_at FROM shopify_sync_cursor WHERE version_id = $1',
      [versionId],
    );
    return rows[0]?.synced_at ?? null;
  }

  /** The base version's offers by the Shopify product they came from. */
  private async offersByProduct(versionId: string, feedId: string): Promise<OffersByProduct> {
    const rows: { offer_id: string; product_id: string | null }[] = await this.db.query(
      `SELECT vi.offer_id, ir.data -> 'customAttributes' ->> $3 AS product_id
         FROM version_item vi
         JOIN item_revision ir ON ir.feed_id = $2 AND ir.offer_id = vi.offer_id AND ir.content_hash = vi.content_hash
        WHERE vi.version_id = $1`,
      [versionId, feedId, PRODUCT_ID_ATTRIBUTE],
    );
    const offers: OffersByProduct = new Map();
    for (const row of rows) {
      if (!row.product_id) continue;
      const list = offers.get(row.product_id);
      if (list) list.push(row.offer_id);
      else offers.set(row.product_id, [row.offer_id]);
    }
    return offers;
  }

  /**
   * The version this run made (or, when nothing changed, the base it matched) is complete as of the
   * store's clock when the sync started: that is the cursor the next incremental sync reads from.
   */
  private async recordSync(
    store: ShopifyStoreEntity,
    runId: string,
    baseVersionId: string | null,
    syncedAt: Date,
    full: boolean,
  ): Promise<void> {
    await this.cursors.record(store.brandId, runId, baseVersionId, store.id, syncedAt);
    await this.storeRows.recordSync(store.brandId, store.id, syncedAt, full);
  }
}

// eslint-disable-next-line require-yield
async function* failWith(error: Error): AsyncGenerator<FeedEvent> {
  throw error;
}
