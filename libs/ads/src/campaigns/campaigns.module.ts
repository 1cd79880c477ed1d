import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SearchModule } from '@brandshelf/search';
import { AdsModule } from '../ads.module.js';
import { AdsClock } from './ads.clock.js';
import { CampaignEntity } from './campaign.entity.js';
import { CampaignDayStore } from './campaign-day.store.js';
import { CampaignStore } from './campaign.store.js';
import { CAMPAIGN_CHANGES, CampaignsService } from './campaigns.service.js';
import { SponsoredClickStore } from './sponsored-click.store.js';
import { SponsoredClickRecorder } from './sponsored-clicks.js';
import { SponsoredRedirect } from './sponsored-redirect.js';
import { SponsoredSearch } from './sponsored-search.js';

/**
 * Sponsored products: campaigns, the sponsored results of creator search, their click redirect (/s/:token) and
 * stats. Loaded by the API only (it serves search and the redirect; its timers flush impressions and clicks).
 */
@Module({
  imports: [TypeOrmModule.forFeature([CampaignEntity]), AdsModule, SearchModule],
  providers: [
    AdsClock,
    CampaignStore,
    CampaignDayStore,
    SponsoredClickStore,
    SponsoredClickRecorder,
    SponsoredSearch,
    { provide: CAMPAIGN_CHANGES, useExisting: SponsoredSearch },
    CampaignsService,
    SponsoredRedirect,
  ],
  exports: [AdsClock, CampaignsService, SponsoredSearch, SponsoredClickRecorder, SponsoredRedirect],
})
export class CampaignsModule {}
