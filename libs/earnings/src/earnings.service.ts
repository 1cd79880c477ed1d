import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BadInputError, type BrandContext } from '@brandshelf/core';
import { copyToStream, type KeysetPage, type KeysetRequest } from '@brandshelf/db';
import { CommissionLineStore, type ReportRow } from './commission-line.store.js';
import { EarningsRollupStore, type RollupRow } from './earnings-rollup.store.js';
import {
  EARNING_STATUSES,
  type CreatorContext,
  type EarningsBalance,
  type EarningStatus,
  type LedgerEntryView,
} from './earnings.types.js';
import { LedgerEntryStore } from './ledger-entry.store.js';

export interface CreatorEarnings {
  /** One balance per currency. */
  totals: EarningsBalance[];
  /** One per brand and currency, by brand name. */
  byBrand: EarningsBalance[];
  /** One per month and currency, newest month first. */
  byMonth: EarningsBalance[];
  /** Entries in the ledger (for the entries connection's totalCount). */
  entryCount: number;
}

const zero = (): Record<EarningStatus, bigint> => ({ PENDING: 0n, APPROVED: 0n, PAID: 0n, REVERSED: 0n });

function group(rows: RollupRow[], keyOf: (r: RollupRow) => string, make: (r: RollupRow) => EarningsBalance) {
  const out = new Map<string, EarningsBalance>();
  for (const row of rows) {
    const key = keyOf(row);
    let balance = out.get(key);
    if (!balance) out.set(key, (balance = make(row)));
    balance.byStatus[row.status] += row.amountMinor;
    balance.entries += row.entries;
  }
  return [...out.values()];
}

/** What creators read of their earnings, and what brands read of their program's results. */
@Injectable()
export class EarningsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(EarningsRollupStore) private readonly rollup: EarningsRollupStore,
    @Inject(LedgerEntryStore) private readonly entries: LedgerEntryStore,
    @Inject(CommissionLineStore) private readonly lines: CommissionLineStore,
  ) {}

  /** The creator's balances by status, per currency, brand and month, from the rollup (never the whole ledger). */
  async earnings(ctx: CreatorContext): Promise<CreatorEarnings> {
    const rows = await this.rollup.forCreator(ctx);
    const base = (r: RollupRow) => ({ currency: r.currency, byStatus: zero(), entries: 0 });
    const totals = group(
      rows,
      (r) => r.currency,
      (r) => ({ ...base(r), id: r.currency, brandId: null, brandName: null, month: null }),
    ).sort((a, b) => a.currency.localeCompare(b.currency));
    const byBrand = group(
      rows,
      (r) => `${r.brandId}/${r.currency}`,
      (r) => ({
        ...base(r),
        id: `${r.brandId}/${r.currency}`,
        brandId: r.brandId,
        brandName: r.brandName,
        month: null,
      }),
    ).sort((a, b) => a.brandName!.localeCompare(b.brandName!) || a.id.localeCompare(b.id));
    const byMonth = group(
      rows,
      (r) => `${r.month}/${r.currency}`,
      (r) => ({ ...base(r), id: `${r.month}/${r.currency}`, brandId: null, brandName: null, month: r.month }),
    ).sort((a, b) => b.month!.localeCompare(a.month!) || a.currency.localeCompare(b.currency));
    return { totals, byBrand, byMonth, entryCount: totals.reduce((sum, t) => sum + t.entries, 0) };
  }

  entriesPage(ctx: CreatorContext, request: KeysetRequest, totalCount: number): Promise<KeysetPage<LedgerEntryView>> {
    return this.entries.pageForCreator(ctx, request, totalCount);
  }

  /** The creator's own ledger entries among `ids` (node(id:) and LedgerEntry.reverses), in one statement. */
  entriesByIds(ctx: CreatorContext, ids: readonly string[]): Promise<LedgerEntryView[]> {
    return this.entries.byIdsForCreator(ctx, ids);
  }

  /** Per creator and product: clicks, attributed orders, revenue and commission (net of refunds). */
  report(ctx: BrandContext, request: KeysetRequest): Promise<KeysetPage<ReportRow>> {
    return this.lines.report(ctx, request);
  }

  /**
   * The brand's balances in `status` per creator and currency as CSV, streamed by PostgreSQL (COPY … TO STDOUT),
   * cells a spreadsheet would run as a formula prefixed with an apostrophe.
   */
  async payoutsCsv(ctx: BrandContext, status: string): Promise<Readable> {
    if (!(EARNING_STATUSES as readonly string[]).includes(status)) {
      throw new BadInputError(`status must be one of ${EARNING_STATUSES.join(', ')}.`, 'status');
    }
    const sql = this.rollup.payoutCsvCopy(ctx, status as EarningStatus);
    return copyToStream(this.db, sql);
  }
}
