import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const SHOPIFY_ID_STRATEGIES = ['VARIANT_ID', 'SKU'] as const;
export type ShopifyIdStrategy = (typeof SHOPIFY_ID_STRATEGIES)[number];

@Entity('shopify_store')
export class ShopifyStoreEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') brandId: string;
  @Column('uuid') feedId: string;
  /** `acme.myshopify.com` (or an allow-listed loopback host:port in tests). */
  @Column('text') shopDomain: string;
  @Column('text', { nullable: true }) shopName: string | null;
  /** Sealed with the SecretBox; never returned by any query. */
  @Column('text') accessTokenSealed: string;
  /** Sealed with the SecretBox; never returned by any query. */
  @Column('text') webhookSecretSealed: string;
  @Column('text') apiVersion: string;
  @Column('text') idStrategy: ShopifyIdStrategy;
  /** The next sync reads every product, whatever the cursor (set by syncShopifyStore(full: true)). */
  @Column('boolean') fullSyncRequested: boolean;
  /** Shopify's time when the last successful sync started. */
  @Column('timestamptz', { nullable: true }) lastSyncedAt: Date | null;
  @Column('timestamptz', { nullable: true }) lastFullSyncAt: Date | null;
  @Column('timestamptz', { nullable: true }) nextSyncAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
