import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { BadInputError, systemBrandContext, type BrandContext } from '@brandshelf/core';
import type { KeysetPage, KeysetRequest } from '@brandshelf/db';
import type { CatalogProduct } from '@brandshelf/search';
import { ProductSetsService } from '../product-sets.service.js';
import type { SetRule } from '../product-set.rules.js';
import type { MembersCursor } from '../product-set.store.js';
import { ChannelExportEntity } from './channel-export.entity.js';
import { ChannelExportStore } from './channel-export.store.js';
import { CHANNELS, EXPORT_CHANNELS, checkProduct, type ExportChannel, type ExportCheck } from './channels.js';
import { EXPORT_STALL_MS, writeChannelCsv, writeGoogleRss } from './channel-writers.js';
import { hashExportToken, isExportToken, mintExportToken } from './export-token.js';

/** Live rows read per statement while exporting. */
export const EXPORT_BATCH = 500;
/** Products checked at most per findings request: the counts then cover the newest this many (checkedAll false). */
export const EXPORT_FINDINGS_SCAN = 200_000;
/** Findings kept per request (the counts cover every product; the list stops here). */
export const EXPORT_ISSUES_CAP = 10_000;
/** Downloads of one export running at once in a process; more are answered 429 OVERLOADED. */
export const EXPORT_DOWNLOADS_AT_ONCE = 2;

export interface ExportVersion {
  etag: string;
  lastModified: Date;
}

export interface ExportFindings {
  checked: number;
  /** Every product of the export was checked (false past EXPORT_FINDINGS_SCAN). */
  checkedAll: boolean;
  leftOut: number;
  byCheck: { check: ExportCheck; count: number }[];
  issues: { id: string; productId: string; offerId: string; check: ExportCheck; required: boolean; message: string }[];
}

/** Channel exports: tokens (hash stored only), the version a conditional GET compares, and the streamed file. */
@Injectable()
export class ChannelExportsService {
  /** Live rows read per statement (tests make it small to cross many batch boundaries). */
  batchSize = EXPORT_BATCH;
  /** How long a full response may wait for its reader before it is cut (EXPORT_STALL_MS). */
  stallMs = EXPORT_STALL_MS;
  /** Findings computations started by this process (tests read it). */
  findingsComputed = 0;
  /** Downloads running now, by export id. */
  private readonly downloads = new Map<string, number>();

  constructor(
    @Inject(ChannelExportStore) private readonly store: ChannelExportStore,
    @Inject(ProductSetsService) private readonly sets: ProductSetsService,
  ) {}

  /** A new export; the token is in the answer only. */
  async create(
    ctx: BrandContext,
    input: { channel: ExportChannel; productSetId?: string | null },
  ): Promise<{ channelExport: ChannelExportEntity; token: string }> {
    if (!EXPORT_CHANNELS.includes(input.channel)) throw new BadInputError('Unknown channel.', 'channel');
    const productSetId = input.productSetId ? (await this.sets.get(ctx, input.productSetId)).id : null;
    const token = mintExportToken();
    const channelExport = await this.store.create(ctx, {
      channel: input.channel,
      productSetId,
      tokenHash: token.hash,
    });
    return { channelExport, token: token.plain };
  }

  /** A new token: the old URL answers 404 from now on. */
  async rotate(ctx: BrandContext, id: string): Promise<{ channelExport: ChannelExportEntity; token: string }> {
    const token = mintExportToken();
    return { channelExport: await this.store.rotate(ctx, id, token.hash), token: token.plain };
  }

  delete(ctx: BrandContext, id: string): Promise<void> {
    return this.store.delete(ctx, id);
  }

  get(ctx: BrandContext, id: string): Promise<ChannelExportEntity> {
    return this.store.get(ctx, id);
  }

  page(ctx: BrandContext, request: KeysetRequest): Promise<KeysetPage<ChannelExportEntity>> {
    return this.store.page(ctx, request);
  }

  /** The export a URL's token names, with its brand's context; null for any other token (the caller says 404). */
  async open(token: string): Promise<{ ctx: BrandContext; channelExport: ChannelExportEntity } | null> {
    if (!isExportToken(token)) return null;
    const channelExport = await this.store.systemFindByTokenHash(hashExportToken(token));
    return channelExport ? { ctx: systemBrandContext(channelExport.brandId), channelExport } : null;
  }

  /**
   * ETag and Last-Modified: they change when the brand's live catalog changes (publish, rollback), the set's rules
   * change or the token rotates, and only then.
   */
  async version(ctx: BrandContext, e: ChannelExportEntity): Promise<ExportVersion> {
    const v = await this.sets.membersVersion(ctx, e.productSetId);
    const etag = createHash('sha256')
      .update([e.id, e.channel, e.tokenRotatedAt.toISOString(), v.generation, v.setUpdatedAt?.toISOString()].join('|'))
      .digest('base64url')
      .slice(0, 27);
    const times = [v.publishedAt, v.setUpdatedAt, e.tokenRotatedAt].filter((d): d is Date => d !== null);
    const lastModified = new Date(Math.floor(Math.max(...times.map((d) => d.getTime())) / 1000) * 1000);
    return { etag: `"${etag}"`, lastModified };
  }

  /** The file's content type and extension. */
  format(e: ChannelExportEntity): { extension: 'xml' | 'csv'; contentType: string } {
    return CHANNELS[e.channel].format === 'xml'
      ? { extension: 'xml', contentType: 'application/rss+xml; charset=utf-8' }
      : { extension: 'csv', contentType: 'text/csv; charset=utf-8' };
  }

  /**
   * A slot for one download of the export, or null when EXPORT_DOWNLOADS_AT_ONCE run already: each reads the whole
   * set or catalog, so a leaked URL fetched in a loop (or many at once) must not put a full catalog read on the
   * database per request. The caller releases the slot when the download ends, however it ends.
   */
  beginDownload(e: ChannelExportEntity): (() => void) | null {
    const running = this.downloads.get(e.id) ?? 0;
    if (running >= EXPORT_DOWNLOADS_AT_ONCE) return null;
    this.downloads.set(e.id, running + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.downloads.get(e.id) ?? 1) - 1;
      if (left > 0) this.downloads.set(e.id, left);
      else this.downloads.delete(e.id);
    };
  }

  /** Writes the export to `out`, a batch of live rows at a time; products failing a required check are left out. */
  async write(ctx: BrandContext, e: ChannelExportEntity, out: Writable, link: string): Promise<void> {
    const products = this.passing(ctx, e);
    if (e.channel === 'GOOGLE') {
      await writeGoogleRss(products, out, { title: `Brandshelf export ${e.id}`, link }, this.stallMs);
    } else {
      await writeChannelCsv(e.channel, products, out, this.stallMs);
    }
  }

  /**
   * Every product of the export checked: how many a required check leaves out, counts per check, and the findings
   * (at most EXPORT_ISSUES_CAP of them, newest products first). Computed per request, a batch at a time, over at
   * most EXPORT_FINDINGS_SCAN products.
   */
  async findings(ctx: BrandContext, e: ChannelExportEntity): Promise<ExportFindings> {
    this.findingsComputed++;
    const out: ExportFindings = { checked: 0, checkedAll: true, leftOut: 0, byCheck: [], issues: [] };
    const counts = new Map<ExportCheck, number>();
    for await (const p of this.members(ctx, e)) {
      if (out.checked === EXPORT_FINDINGS_SCAN) {
        out.checkedAll = false;
        break;
      }
      out.checked++;
      const found = checkProduct(e.channel, p);
      if (found.some((f) => f.required)) out.leftOut++;
      for (const f of found) {
        counts.set(f.check, (counts.get(f.check) ?? 0) + 1);
        if (out.issues.length < EXPORT_ISSUES_CAP) {
          out.issues.push({ id: `${p.id}:${f.check}`, productId: p.id, offerId: p.offerId, ...f });
        }
      }
    }
    out.byCheck = [...counts].map(([check, count]) => ({ check, count }));
    return out;
  }

  private async *passing(ctx: BrandContext, e: ChannelExportEntity): AsyncGenerator<CatalogProduct> {
    for await (const p of this.members(ctx, e)) {
      if (!checkProduct(e.channel, p).some((f) => f.required)) yield p;
    }
  }

  private async *members(ctx: BrandContext, e: ChannelExportEntity): AsyncGenerator<CatalogProduct> {
    let rules: SetRule | null = null;
    if (e.productSetId) rules = (await this.sets.get(ctx, e.productSetId)).rules;
    let after: MembersCursor | null = null;
    do {
      const batch: { products: CatalogProduct[]; next: MembersCursor | null } = await this.sets.membersBatch(
        ctx,
        rules,
        after,
        this.batchSize,
      );
      yield* batch.products;
      after = batch.next;
    } while (after);
  }
}
