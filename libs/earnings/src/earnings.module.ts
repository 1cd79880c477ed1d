import { Module } from '@nestjs/common';
import { AffiliateSettingsService } from './affiliate-settings.service.js';
import { AffiliateSettingsStore } from './affiliate-settings.store.js';
import { ApprovalScheduler } from './approval.scheduler.js';
import { CommissionLineStore } from './commission-line.store.js';
import { ConversionStore } from './conversion.store.js';
import { ConversionsService } from './conversions.service.js';
import { EarningsClock } from './earnings.clock.js';
import { EarningsRollupStore } from './earnings-rollup.store.js';
import { EarningsService } from './earnings.service.js';
import { LedgerEntryStore } from './ledger-entry.store.js';
import { LedgerPoster } from './ledger.poster.js';

/** Creators earn: conversions, attribution, the commission ledger and its reports (see README "Creators earn"). */
@Module({
  providers: [
    AffiliateSettingsStore,
    ConversionStore,
    CommissionLineStore,
    LedgerEntryStore,
    EarningsRollupStore,
    LedgerPoster,
    AffiliateSettingsService,
    ConversionsService,
    EarningsService,
    ApprovalScheduler,
    EarningsClock,
  ],
  exports: [AffiliateSettingsService, ConversionsService, EarningsService, ApprovalScheduler, EarningsClock],
})
export class EarningsModule {}
