import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { BadInputError, SecretBox, UnauthenticatedError, systemBrandContext } from '@brandshelf/core';
import { RunsService } from '@brandshelf/ingestion';
import { SHOPIFY_SETTINGS, type ShopifySettings } from './shopify.settings.js';
import { ShopifyStoreEntity } from './shopify-store.entity.js';
import { ShopifyStoreStore } from './shopify-store.store.js';
import { ShopifyWebhookDeliveryStore } from './shopify-webhook-delivery.store.js';
import { SystemPath } from '@brandshelf/db';

/** The headers Shopify sends with every webhook delivery. */
export interface WebhookDelivery {
  rawBody: Buffer;
  hmac: string | undefined;
  shopDomain: string | undefined;
  topic: string | undefined;
  webhookId: string | undefined;
}

export type WebhookOutcome = 'QUEUED' | 'ALREADY_QUEUED' | 'DUPLICATE' | 'IGNORED';

const PRODUCT_TOPICS = new Set(['products/create', 'products/update', 'products/delete']);

/** base64(HMAC-SHA256(secret, raw body)) compared in constant time, as Shopify documents. */
export function verifyShopifyHmac(rawBody: Buffer, secret: string, header: string): boolean {
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(header.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * POST /webhooks/shopify. A delivery is verified against the webhook secret of each store connected
 * under its X-Shopify-Shop-Domain (a forged or unknown one changes nothing), recorded by
 * X-Shopify-Webhook-Id (a repeated delivery is ignored), and a product topic queues an incremental
 * sync of the store a few seconds later: the sync reads what changed (and lists ids for deletions)
 * through the same mapping as every other sync.
 */
@Injectable()
export class ShopifyWebhooksService {
  private readonly logger = new Logger('ShopifyWebhooks');

  constructor(
    @InjectRepository(ShopifyStoreEntity) private readonly stores: Repository<ShopifyStoreEntity>,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(RunsService) private readonly runs: RunsService,
    @Inject(SHOPIFY_SETTINGS) private readonly settings: ShopifySettings,
    @Inject(ShopifyStoreStore) private readonly storeRows: ShopifyStoreStore,
    @Inject(ShopifyWebhookDeliveryStore) private readonly deliveries: ShopifyWebhookDeliveryStore,
  ) {}

  async receive(delivery: WebhookDelivery): Promise<WebhookOutcome> {
    const shopDomain = delivery.shopDomain?.trim().toLowerCase();
    if (!delivery.hmac || !shopDomain) throw new UnauthenticatedError('The webhook is not signed.');
    const candidates = await this.stores.find({ where: { shopDomain } });
    const stores = candidates.filter((store) =>
      verifyShopifyHmac(delivery.rawBody, this.secrets.open(store.webhookSecretSealed), delivery.hmac!),
    );
    if (stores.length === 0) throw new UnauthenticatedError('The webhook signature does not match.');
    const webhookId = delivery.webhookId?.trim();
    if (!webhookId) throw new BadInputError('X-Shopify-Webhook-Id is missing.', 'X-Shopify-Webhook-Id');
    const topic = (delivery.topic ?? '').trim().toLowerCase();
    let outcome: WebhookOutcome = 'DUPLICATE';
    for (const store of stores) {
      const recorded = await this.deliveries.record(store.brandId, store.id, {
        webhookId: webhookId.slice(0, 200),
        topic: topic.slice(0, 100),
        resourceId: resourceId(delivery.rawBody),
      });
      if (!recorded) continue;
      if (!PRODUCT_TOPICS.has(topic)) {
        outcome = 'IGNORED';
        continue;
      }
      try {
        outcome = await this.queueSync(store);
      } catch (error) {
        // Not applied: forget the delivery so Shopify's retry applies it.
        await this.deliveries.forget(store.brandId, store.id, webhookId);
        throw error;
      }
    }
    this.logger.log({ msg: 'webhook', topic, shopDomain, webhookId, outcome });
    return outcome;
  }

  /**
   * One queued run per store is enough: a run that has not started yet will read this change too. A running one
   * may have read past it: the store is then due again, and the sync tick starts its next sync once that run ends
   * (a feed never has two runs at once).
   */
  private async queueSync(store: ShopifyStoreEntity): Promise<WebhookOutcome> {
    const ctx = systemBrandContext(store.brandId, 'shopify-webhook');
    const delaySeconds = this.settings.webhookDelaySeconds;
    const started = await this.runs.startIfIdle(
      ctx,
      store.feedId,
      { trigger: 'SYNC', sourceName: store.shopDomain },
      { delaySeconds: delaySeconds || undefined },
    );
    if (started.created) return 'QUEUED';
    if (started.active.status === 'QUEUED') return 'ALREADY_QUEUED';
    await this.storeRows.dueWithin(store.brandId, store.id, delaySeconds);
    return 'QUEUED';
  }

  /** Shopify retries a failed delivery for hours, not days: older records cannot be needed again. */
  @SystemPath('shopify-webhooks.service.systemPruneDeliveries')
  async systemPruneDeliveries(olderThanHours = 72): Promise<void> {
    await this.deliveries.systemPrune(olderThanHours);
  }
}

/** The product id of a product webhook's body, for the record (the body is verified before this). */
function resourceId(rawBody: Buffer): string | null {
  try {
    const id = (JSON.parse(rawBody.toString('utf8')) as { id?: unknown }).id;
    return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
  } catch {
    return null;
  }
}
