import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { CURRENCIES } from '@brandshelf/catalog-rules';
import {
  APP_CONFIG,
  BadInputError,
  ConflictError,
  NotFoundError,
  SecretBox,
  type AppConfig,
  type BrandContext,
} from '@brandshelf/core';
import { BrandScopedRepository, type KeysetPage, type KeysetRequest } from '@brandshelf/db';
import { FeedStore, RunsService, type IngestionRunEntity } from '@brandshelf/ingestion';
import { ShopifyApiError } from './admin-api.client.js';
import { SHOP_QUERY, type ShopInfo } from './admin-api.queries.js';
import { shopOf } from './admin-api.shapes.js';
import { ShopifyClients } from './shopify-clients.js';
import { SHOPIFY_SETTINGS, type ShopifySettings } from './shopify.settings.js';
import { ShopifyStoreEntity, type ShopifyIdStrategy } from './shopify-store.entity.js';
import { ShopifyStoreStore } from './shopify-store.store.js';
import { normalizeShopDomain } from './shop-domain.js';

export interface ConnectStoreInput {
  shopDomain: string;
  accessToken: string;
  webhookSecret: string;
  idStrategy?: ShopifyIdStrategy | null;
  feedName?: string | null;
}

const MAX_SECRET_LENGTH = 512;

@Injectable()
export class ShopifyStoresService {
  private readonly stores: BrandScopedRepository<ShopifyStoreEntity>;

  constructor(
    @InjectRepository(ShopifyStoreEntity) stores: Repository<ShopifyStoreEntity>,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(ShopifyClients) private readonly clients: ShopifyClients,
    @Inject(RunsService) private readonly runsService: RunsService,
    @Inject(SHOPIFY_SETTINGS) private readonly settings: ShopifySettings,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FeedStore) private readonly feeds: FeedStore,
    @Inject(ShopifyStoreStore) private readonly storeRows: ShopifyStoreStore,
  ) {
    this.stores = new BrandScopedRepository(stores, 'ShopifyStore');
  }

  /** A page of the brand's stores, oldest first. */
  page(ctx: BrandContext, request: KeysetRequest): Promise<KeysetPage<ShopifyStoreEntity>> {
    return this.stores.page(ctx, {}, { by: 'createdAt', direction: 'ASC' }, request);
  }

  /**
   * Checks the token with a shop query, then creates the SHOPIFY feed and the store in one transaction.
   * The token and the webhook secret are stored sealed and never returned.
   */
  async connect(ctx: BrandContext, input: ConnectStoreInput): Promise<ShopifyStoreEntity> {
    const shopDomain = normalizeShopDomain(input.shopDomain, this.config.http.allowHosts);
    const accessToken = secretInput(input.accessToken, 'accessToken');
    const webhookSecret = secretInput(input.webhookSecret, 'webhookSecret');
    const feedName = input.feedName?.trim() || null;
    if (feedName && feedName.length > 120)
      throw new BadInputError('feedName must be at most 120 characters.', 'feedName');
    const existing = await this.stores.find(ctx, { shopDomain }, { take: 1 });
    if (existing.length) {
      throw new ConflictError(`${shopDomain} is already connected (feed ${existing[0].feedId}).`, {
        feedId: existing[0].feedId,
        userErrorCode: 'ALREADY_CONNECTED',
      });
    }
    const shop = await this.checkToken(shopDomain, accessToken);
    try {
      return await this.db.transaction(async (manager) => {
        const feed = await this.feeds.insert(
          ctx,
          {
            name: feedName ?? `Shopify: ${shop.name}`.slice(0, 120),
            source: 'SHOPIFY',
            format: 'AUTO',
            mode: 'REPLACE',
            defaultCurrency: CURRENCIES[shop.currencyCode] ? shop.currencyCode : null,
            // The shop's own domain, so the feed says where its product pages live (links from the API use it
            // for products without an Online Store URL).
            storeUrl: storeUrlOf(shop),
            autoPublish: false,
            maxRemovalShare: 0.2,
            maxRejectedShare: 0.2,
          },
          manager,
        );
        return this.storeRows.insert(
          ctx,
          {
            feedId: feed.id,
            shopDomain,
            shopName: shop.name,
            accessTokenSealed: this.secrets.seal(accessToken),
            webhookSecretSealed: this.secrets.seal(webhookSecret),
            apiVersion: this.settings.apiVersion,
            idStrategy: input.idStrategy ?? 'VARIANT_ID',
            fullSyncRequested: false,
            lastSyncedAt: null,
            lastFullSyncAt: null,
            // The first sync is due at once: the scheduler's next tick runs it (or syncShopifyStore now).
            nextSyncAt: this.settings.syncIntervalMinutes > 0 ? new Date() : null,
          },
          manager,
        );
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ConflictError(`${shopDomain} is already connected.`, { userErrorCode: 'ALREADY_CONNECTED' });
      }
      throw error;
    }
  }

  /** Queues a sync of the store's feed: incremental, or every product when `full`. */
  async sync(ctx: BrandContext, feedId: string, full: boolean): Promise<IngestionRunEntity> {
    const store = await this.getByFeed(ctx, feedId);
    return this.runsService.start(
      ctx,
      store.feedId,
      { trigger: 'SYNC', sourceName: store.shopDomain },
      {
        conflict: 'is already syncing in run',
        // Only with the run it is for: a sync refused with CONFLICT requests nothing.
        alsoInTransaction: full ? (manager) => this.storeRows.requestFullSync(ctx, store.id, manager) : undefined,
      },
    );
  }

  /**
   * The next sync of the feed's store reads every product: a feed setting that changes what items become
   * (updateFeed) changed, and an incremental sync would carry the unchanged products over as the old settings made
   * them. Nothing for a feed without a store.
   */
  async requestFullSyncOfFeed(ctx: BrandContext, feedId: string): Promise<void> {
    const [store] = await this.stores.find(ctx, { feedId }, { take: 1 });
    if (!store) return;
    await this.db.transaction((manager) => this.storeRows.requestFullSync(ctx, store.id, manager));
  }

  async getByFeed(ctx: BrandContext, feedId: string): Promise<ShopifyStoreEntity> {
    const [store] = await this.stores.find(ctx, { feedId }, { take: 1 });
    if (!store) throw new NotFoundError('ShopifyStore', feedId, { idType: 'Feed' });
    return store;
  }

  private async checkToken(shopDomain: string, accessToken: string): Promise<ShopInfo> {
    try {
      const client = this.clients.forCredentials(shopDomain, accessToken, this.settings.apiVersion, {
        interactive: true,
      });
      return shopOf(await client.query<unknown>(SHOP_QUERY));
    } catch (error) {
      if (!(error instanceof ShopifyApiError)) throw error;
      if (error.code === 'UNAUTHORIZED') {
        throw new BadInputError(
          `${shopDomain} refused the access token; copy the Admin API access token again.`,
          'accessToken',
        );
      }
      if (error.code === 'FORBIDDEN') {
        throw new BadInputError(`The access token may not read the shop: ${error.hint}`, 'accessToken');
      }
      throw new BadInputError(
        `Could not check the token with ${shopDomain}: ${error.message} ${error.hint}`,
        'shopDomain',
      );
    }
  }
}

function secretInput(value: string, field: string): string {
  const trimmed = value?.trim() ?? '';
  if (!trimmed) throw new BadInputError(`${field} is required.`, field);
  if (trimmed.length > MAX_SECRET_LENGTH)
    throw new BadInputError(`${field} is longer than any Shopify credential.`, field);
  return trimmed;
}

/** The shop's primary domain as a base URL (`https://shop.example`), null when the API gives none usable. */
function storeUrlOf(shop: ShopInfo): string | null {
  const raw = shop.primaryDomain?.url?.trim();
  if (!raw) return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return `${url.protocol}//${url.host}`;
  } catch {
    return null;
  }
}
