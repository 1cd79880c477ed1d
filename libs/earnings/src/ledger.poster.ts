import { Inject, Injectable } from '@nestjs/common';
import type { BrandContext } from '@brandshelf/core';
import { CommissionLineStore, type LineDelta } from './commission-line.store.js';
import { EarningsRollupStore, type RollupDelta } from './earnings-rollup.store.js';
import type { Sql } from './earnings.types.js';
import { LedgerEntryStore, type NewEntry } from './ledger-entry.store.js';

/**
 * The one way money enters or moves in the ledger: appends the entries and, in the same transaction, adds them to
 * their lines' balances and to the creator's rollup. Each entry moves |amount| out of `from` (when set) and into
 * `to`, so a line's balances always add up to its commission and the rollup always equals the ledger's sums.
 */
@Injectable()
export class LedgerPoster {
  constructor(
    @Inject(LedgerEntryStore) private readonly entries: LedgerEntryStore,
    @Inject(CommissionLineStore) private readonly lines: CommissionLineStore,
    @Inject(EarningsRollupStore) private readonly rollup: EarningsRollupStore,
  ) {}

  async post(ctx: BrandContext, sql: Sql, entries: NewEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const lineDeltas = new Map<string, LineDelta>();
    const rollupDeltas: RollupDelta[] = [];
    const field = { PENDING: 'pending', APPROVED: 'approved', PAID: 'paid', REVERSED: 'reversed' } as const;
    for (const entry of entries) {
      const magnitude = entry.amountMinor < 0n ? -entry.amountMinor : entry.amountMinor;
      let delta = lineDeltas.get(entry.line.id);
      if (!delta) {
        delta = { id: entry.line.id, pending: 0n, approved: 0n, paid: 0n, reversed: 0n, refunded: 0n };
        lineDeltas.set(entry.line.id, delta);
      }
      delta[field[entry.to]] += magnitude;
      if (entry.from) delta[field[entry.from]] -= magnitude;
      delta.refunded += entry.refundedBaseMinor ?? 0n;
      const key = { creatorId: entry.line.creator_id, currency: entry.line.currency, month: entry.line.earned_month };
      rollupDeltas.push({ ...key, status: entry.to, amountMinor: magnitude, entries: 1 });
      if (entry.from) rollupDeltas.push({ ...key, status: entry.from, amountMinor: -magnitude, entries: 0 });
    }
    await this.entries.append(ctx, sql, entries);
    await this.lines.applyDeltas(ctx, sql, [...lineDeltas.values()]);
    await this.rollup.apply(ctx, sql, rollupDeltas);
  }
}
