import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { systemBrandContext } from '@brandshelf/core';
import { JobHandler } from '@brandshelf/queue';
import { CommissionLineStore, type LineRow } from './commission-line.store.js';
import { EarningsClock } from './earnings.clock.js';
import { EARNINGS_APPROVAL_TICK } from './earnings.jobs.js';
import { LedgerPoster } from './ledger.poster.js';
import type { NewEntry } from './ledger-entry.store.js';
import { SystemPath } from '@brandshelf/db';

const BATCH = 500;

/** The scheduled approval of commission (see EARNINGS_APPROVAL_TICK). Tests set EarningsClock and call tick(). */
@Injectable()
export class ApprovalScheduler {
  private readonly logger = new Logger('EarningsApproval');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(CommissionLineStore) private readonly lines: CommissionLineStore,
    @Inject(LedgerPoster) private readonly poster: LedgerPoster,
    @Inject(EarningsClock) private readonly clock: EarningsClock,
  ) {}

  @JobHandler(EARNINGS_APPROVAL_TICK)
  async tick(): Promise<number> {
    return this.approveDue(this.clock.now());
  }

  /** Approves every line whose return window ended by `now`, in batches; answers how many lines it approved. */
  @SystemPath('earnings.approve-due')
  async approveDue(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const approved = await this.db.transaction(async (manager) => {
        const due = await this.lines.systemLockDue(manager, now, BATCH);
        const byBrand = new Map<string, LineRow[]>();
        for (const line of due) byBrand.set(line.brand_id, [...(byBrand.get(line.brand_id) ?? []), line]);
        for (const [brandId, lines] of byBrand) {
          const entries: NewEntry[] = lines.map((line) => ({
            line,
            kind: 'APPROVAL',
            from: 'PENDING',
            to: 'APPROVED',
            amountMinor: BigInt(line.pending_minor),
          }));
          await this.poster.post(systemBrandContext(brandId, 'earnings-approval'), manager, entries);
        }
        return due.length;
      });
      total += approved;
      if (approved < BATCH) break;
    }
    if (total) this.logger.log({ msg: 'commission approved', lines: total });
    return total;
  }
}
