import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import type { FeedMode } from '@brandshelf/catalog-rules';
import type { FeedFormatSetting } from '@brandshelf/feeds';

export const FEED_SOURCES = ['UPLOAD', 'URL', 'SHOPIFY'] as const;
export type FeedSource = (typeof FEED_SOURCES)[number];

@Entity('feed')
export class FeedEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') brandId: string;
  @Column('text') name: string;
  @Column('text') source: FeedSource;
  @Column('text') format: FeedFormatSetting;
  @Column('text', { nullable: true }) url: string | null;
  @Column('text', { nullable: true }) basicAuthUsername: string | null;
  /** Sealed with the SecretBox; never returned by any query. */
  @Column('text', { nullable: true }) basicAuthPasswordSealed: string | null;
  @Column('text') mode: FeedMode;
  @Column('text', { nullable: true }) defaultCurrency: string | null;
  /** ISO 639-1 code of the catalog's text: picks language-suffixed columns and the search configuration. */
  @Column('text') language: string;
  /** The store's base URL, e.g. https://shop.example.com, for exports that carry no product-page link. */
  @Column('text', { nullable: true }) storeUrl: string | null;
  /** Builds `link` when a row has none, e.g. `{store}/products/{handle}`; null = the dialect's default. */
  @Column('text', { nullable: true }) linkTemplate: string | null;
  @Column('jsonb', { nullable: true }) columnMapping: Record<string, string> | null;
  @Column('text', { nullable: true }) xmlItemElement: string | null;
  @Column('text', { nullable: true }) schedule: string | null;
  @Column('integer', { nullable: true }) scheduleIntervalMinutes: number | null;
  @Column('timestamptz', { nullable: true }) nextFetchAt: Date | null;
  @Column('text', { nullable: true }) lastEtag: string | null;
  @Column('text', { nullable: true }) lastModified: string | null;
  @Column('uuid', { nullable: true }) liveVersionId: string | null;
  /** Publish each successful run's version automatically, within the safety limits below. */
  @Column('boolean') autoPublish: boolean;
  /** An automatic publish that would remove more than this share of the live products waits for a person. */
  @Column('real') maxRemovalShare: number;
  /** An automatic publish of a run that rejected more than this share of its rows waits for a person. */
  @Column('real') maxRejectedShare: number;
  /** Items without a usable google_product_category get a suggested one, as a WARNING. */
  @Column('boolean') suggestCategories: boolean;
  /** 0–1: a suggestion more confident than this becomes the item's category (and implies suggestions); null: never. */
  @Column('real', { nullable: true }) acceptCategorySuggestionsAbove: number | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
