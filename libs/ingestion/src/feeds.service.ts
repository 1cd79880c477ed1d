import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ATTRIBUTE_BY_NAME, CURRENCIES, CUSTOM_PREFIX } from '@brandshelf/catalog-rules';
import { BadInputError, SecretBox, type BrandContext } from '@brandshelf/core';
import { BrandScopedRepository, type KeysetPage, type KeysetRequest } from '@brandshelf/db';
import type { FeedMode } from '@brandshelf/catalog-rules';
import type { FeedFormatSetting } from '@brandshelf/feeds';
import type { FeedEntity, FeedSource } from './feed.entity.js';
import { FeedEntity as Feed } from './feed.entity.js';
import { BrandStorageService } from './brand-storage.service.js';
import { FeedStore } from './feed.store.js';
import { parseSchedule } from './schedule.parser.js';

export interface FeedInput {
  name?: string | null;
  source?: FeedSource | null;
  format?: FeedFormatSetting | null;
  url?: string | null;
  basicAuth?: { username: string; password: string } | null;
  mode?: FeedMode | null;
  defaultCurrency?: string | null;
  language?: string | null;
  storeUrl?: string | null;
  linkTemplate?: string | null;
  columnMapping?: { column: string; attribute: string }[] | null;
  xmlItemElement?: string | null;
  schedule?: string | null;
  autoPublish?: boolean | null;
  maxRemovalShare?: number | null;
  maxRejectedShare?: number | null;
  suggestCategories?: boolean | null;
  acceptCategorySuggestionsAbove?: number | null;
}

/**
 * A share or confidence as the feed's `real` columns keep it, to six decimals: a value too small for a real
 * (5e-324) was a database error (an INTERNAL_SERVER_ERROR for createFeed), and no more precision means anything here.
 */
function asStoredShare(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

@Injectable()
export class FeedsService {
  private readonly feeds: BrandScopedRepository<FeedEntity>;

  constructor(
    @InjectRepository(Feed) repository: Repository<FeedEntity>,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(BrandStorageService) private readonly storage: BrandStorageService,
    @Inject(FeedStore) private readonly store: FeedStore,
  ) {
    this.feeds = new BrandScopedRepository(repository, 'Feed');
  }

  /** A page of the brand's feeds, oldest first. */
  page(ctx: BrandContext, request: KeysetRequest): Promise<KeysetPage<FeedEntity>> {
    return this.feeds.page(ctx, {}, { by: 'createdAt', direction: 'ASC' }, request);
  }

  get(ctx: BrandContext, id: string): Promise<FeedEntity> {
    return this.feeds.get(ctx, id);
  }

  async create(ctx: BrandContext, input: FeedInput): Promise<FeedEntity> {
    const source = input.source ?? 'UPLOAD';
    if (source === 'SHOPIFY') {
      throw new BadInputError('Shopify feeds are created by connecting a store, not with createFeed.', 'source');
    }
    const values = this.validate({ ...input, source }, null);
    return this.store.insert(ctx, {
      source,
      format: 'AUTO',
      mode: 'REPLACE',
      autoPublish: false,
      maxRemovalShare: 0.2,
      maxRejectedShare: 0.2,
      language: 'en',
      suggestCategories: false,
      ...values,
    } as Partial<FeedEntity>);
  }

  async update(ctx: BrandContext, id: string, input: FeedInput): Promise<FeedEntity> {
    const current = await this.feeds.get(ctx, id);
    if (input.source && input.source !== current.source) {
      throw new BadInputError('A feed keeps its source; create another feed for another source.', 'source');
    }
    return this.store.update(ctx, id, this.validate({ ...input, source: current.source }, current));
  }

  async delete(ctx: BrandContext, id: string): Promise<FeedEntity> {
    const feed = await this.feeds.get(ctx, id);
    await this.storage.deleteFeed(feed.brandId, feed.id);
    return feed;
  }

  /** The basic-auth password of a URL feed, for the fetcher only. */
  basicAuthOf(feed: FeedEntity): { username: string; password: string } | null {
    if (!feed.basicAuthUsername || !feed.basicAuthPasswordSealed) return null;
    return { username: feed.basicAuthUsername, password: this.secrets.open(feed.basicAuthPasswordSealed) };
  }

  private validate(input: FeedInput, current: FeedEntity | null): Partial<FeedEntity> {
    const out: Partial<FeedEntity> = {};
    if (input.name !== undefined && input.name !== null) {
      const name = input.name.trim();
      if (!name || name.length > 120) throw new BadInputError('name must be 1 to 120 characters.', 'name');
      out.name = name;
    } else if (!current) {
      throw new BadInputError('name is required.', 'name');
    }
    if (input.format) out.format = input.format;
    if (input.mode) out.mode = input.mode;
    if (input.url !== undefined) out.url = input.url ? checkFeedUrl(input.url) : null;
    const url = out.url !== undefined ? out.url : (current?.url ?? null);
    if (input.source === 'URL' && !url) throw new BadInputError('url is required for a URL feed.', 'url');
    if (input.source === 'UPLOAD' && url) {
      throw new BadInputError('url is only for URL feeds; upload files to POST /feeds/:id/uploads.', 'url');
    }
    if (input.basicAuth !== undefined) {
      out.basicAuthUsername = input.basicAuth?.username ?? null;
      out.basicAuthPasswordSealed = input.basicAuth ? this.secrets.seal(input.basicAuth.password) : null;
    }
    if (input.defaultCurrency !== undefined) {
      const code = input.defaultCurrency?.trim().toUpperCase() || null;
      if (code && !CURRENCIES[code]) {
        throw new BadInputError(
          `defaultCurrency "${input.defaultCurrency}" is not an ISO 4217 code (e.g. USD, EUR, SEK).`,
          'defaultCurrency',
        );
      }
      out.defaultCurrency = code;
    }
    if (input.language !== undefined && input.language !== null) {
      const language = input.language.trim().toLowerCase();
      if (!/^[a-z]{2}$/.test(language)) {
        throw new BadInputError(
          `language "${input.language}" is not an ISO 639-1 code (e.g. en, sv, cs, fr).`,
          'language',
        );
      }
      out.language = language;
    }
    if (input.storeUrl !== undefined) out.storeUrl = input.storeUrl ? checkStoreUrl(input.storeUrl) : null;
    if (input.linkTemplate !== undefined) out.linkTemplate = checkLinkTemplate(input.linkTemplate);
    const template = out.linkTemplate !== undefined ? out.linkTemplate : (current?.linkTemplate ?? null);
    const storeUrl = out.storeUrl !== undefined ? out.storeUrl : (current?.storeUrl ?? null);
    // Caught here rather than as a missing link on every item of the next run.
    if (template?.includes('{store}') && !storeUrl) {
      throw new BadInputError(
        `linkTemplate "${template}" uses {store}, but the feed has no storeUrl; set storeUrl (e.g. https://shop.example.com) too.`,
        input.linkTemplate !== undefined ? 'linkTemplate' : 'storeUrl',
      );
    }
    if (input.autoPublish !== undefined && input.autoPublish !== null) out.autoPublish = input.autoPublish;
    for (const field of ['maxRemovalShare', 'maxRejectedShare'] as const) {
      const share = input[field];
      if (share === undefined || share === null) continue;
      if (!(share >= 0 && share <= 1)) throw new BadInputError(`${field} must be between 0 and 1 (0.2 = 20%).`, field);
      out[field] = asStoredShare(share);
    }
    if (input.suggestCategories !== undefined && input.suggestCategories !== null) {
      out.suggestCategories = input.suggestCategories;
    }
    if (input.acceptCategorySuggestionsAbove !== undefined) {
      const above = input.acceptCategorySuggestionsAbove;
      if (above !== null && !(above >= 0 && above <= 1)) {
        throw new BadInputError(
          'acceptCategorySuggestionsAbove must be a confidence between 0 and 1 (e.g. 0.6), or null to apply none.',
          'acceptCategorySuggestionsAbove',
        );
      }
      out.acceptCategorySuggestionsAbove = above === null ? null : asStoredShare(above);
    }
    if (input.columnMapping !== undefined) out.columnMapping = checkColumnMapping(input.columnMapping);
    if (input.xmlItemElement !== undefined) {
      const element = input.xmlItemElement?.trim() || null;
      if (element && !/^[A-Za-z_][\w.:-]*$/.test(element)) {
        throw new BadInputError(`xmlItemElement "${element}" is not an XML element name.`, 'xmlItemElement');
      }
      out.xmlItemElement = element;
    }
    if (input.schedule !== undefined) {
      const minutes = parseSchedule(input.schedule);
      if (minutes !== null && input.source !== 'URL') {
        throw new BadInputError('Only URL feeds can be fetched on a schedule.', 'schedule');
      }
      out.schedule = minutes === null ? null : input.schedule!.trim();
      out.scheduleIntervalMinutes = minutes;
      out.nextFetchAt = minutes === null ? null : new Date(Date.now() + minutes * 60_000);
    }
    return out;
  }
}

function checkFeedUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new BadInputError(`url "${raw}" is not a valid URL.`, 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BadInputError('url must start with http:// or https://.', 'url');
  }
  if (url.username || url.password) {
    throw new BadInputError('Put credentials in basicAuth, not in the URL, so they are stored encrypted.', 'url');
  }
  if (url.href.length > 2000) throw new BadInputError('url must be at most 2000 characters.', 'url');
  return url.href;
}

function checkColumnMapping(pairs: { column: string; attribute: string }[] | null): Record<string, string> | null {
  if (!pairs || pairs.length === 0) return null;
  const mapping: Record<string, string> = {};
  for (const { column, attribute } of pairs) {
    const target = attribute.trim();
    if (!column.trim()) throw new BadInputError('columnMapping has an empty column name.', 'columnMapping');
    if (!ATTRIBUTE_BY_NAME.has(target) && !(target.startsWith(CUSTOM_PREFIX) && target.length > CUSTOM_PREFIX.length)) {
      throw new BadInputError(
        `columnMapping maps "${column}" to "${attribute}", which is not an attribute; use a Merchant Center name ` +
          `(e.g. image_link, price, gtin) or "custom:<name>".`,
        'columnMapping',
      );
    }
    mapping[column.trim()] = target;
  }
  return mapping;
}

/** A store's base URL: `shop.example.com` is taken as https; no path, query or credentials. */
function checkStoreUrl(raw: string): string {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new BadInputError(`storeUrl "${raw}" is not a valid URL (e.g. https://shop.example.com).`, 'storeUrl');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BadInputError('storeUrl must start with http:// or https://.', 'storeUrl');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new BadInputError('storeUrl is the store base URL only, without credentials, query or fragment.', 'storeUrl');
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * A link template: starts with `{store}` (the feed's storeUrl) or is an absolute http(s) URL, and its
 * placeholders are names (`{handle}`, `{product_id}`, `{id}`, any column), so a typo fails here, not on every item.
 */
function checkLinkTemplate(raw: string | null | undefined): string | null {
  const template = raw?.trim() || null;
  if (!template) return null;
  const example = 'e.g. "{store}/products/{handle}" or "https://shop.example.com/p/{id}"';
  if (template.length > 500) throw new BadInputError('linkTemplate is at most 500 characters.', 'linkTemplate');
  if (!template.startsWith('{store}') && !/^https?:\/\/[^/{}\s]+/i.test(template)) {
    throw new BadInputError(
      `linkTemplate "${template}" must start with {store} (the feed's storeUrl) or with https://, ${example}.`,
      'linkTemplate',
    );
  }
  const outside = template.replace(/\{[^{}]+\}/g, '');
  if (/[{}]/.test(outside)) {
    throw new BadInputError(
      `linkTemplate "${template}" has a brace that is not part of a {placeholder}, ${example}.`,
      'linkTemplate',
    );
  }
  if (/\s/.test(outside)) throw new BadInputError('linkTemplate must not contain spaces.', 'linkTemplate');
  return template;
}
