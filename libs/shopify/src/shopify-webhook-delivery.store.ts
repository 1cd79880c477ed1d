import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SystemPath } from '@brandshelf/db';

/**
 * The one writer of shopify_webhook_delivery (libs/db/src/table-owners.ts): the deliveries already applied, by
 * store and X-Shopify-Webhook-Id. Deliveries arrive without a brand (the store's brand is known once the signature
 * matched a store); pruning acts on every brand's and is a system method.
 */
@Injectable()
export class ShopifyWebhookDeliveryStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Records a delivery for the brand's store; false when it was recorded before (a repeated delivery). */
  async record(
    brandId: string,
    storeId: string,
    delivery: { webhookId: string; topic: string; resourceId: string | null },
  ): Promise<boolean> {
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO shopify_webhook_delivery (store_id, webhook_id, topic, resource_id)
       SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM shopify_store WHERE id = $1 AND brand_id = $5)
       ON CONFLICT (store_id, webhook_id) DO NOTHING RETURNING webhook_id`,
      [storeId, delivery.webhookId, delivery.topic, delivery.resourceId, brandId],
    );
    return inserted.length > 0;
  }

  /** Forgets a delivery that was not applied, so Shopify's retry applies it. */
  async forget(brandId: string, storeId: string, webhookId: string): Promise<void> {
    await this.db.query(
      `DELETE FROM shopify_webhook_delivery d USING shopify_store s
        WHERE d.store_id = $1 AND d.webhook_id = $2 AND s.id = d.store_id AND s.brand_id = $3`,
      [storeId, webhookId, brandId],
    );
  }

  /** Every brand's records older than `olderThanHours`. */
  @SystemPath('shopify-webhook-delivery.store.systemPrune')
  async systemPrune(olderThanHours: number): Promise<void> {
    await this.db.query(`DELETE FROM shopify_webhook_delivery WHERE received_at < now() - make_interval(hours => $1)`, [
      olderThanHours,
    ]);
  }
}
