import { Module } from '@nestjs/common';
import { ClickRecorder } from './click-recorder.js';
import { ClickStore } from './click.store.js';
import { AffiliateClock } from './clock.js';
import { CommissionService } from './commission.service.js';
import { LinkCache } from './link-cache.js';
import { OfferStore } from './offer.store.js';
import { ProgramStore } from './program.store.js';
import { RedirectHandler } from './redirect.js';
import { RuleStore } from './rule.store.js';
import { ShareLinkStore } from './share-link.store.js';
import { ShareLinksService } from './share-links.service.js';
import { ShowcaseStore } from './showcase.store.js';

/**
 * Creators earn, part A: commission programs (open rates, overrides, targeted offers), showcases, share links and
 * their clicks. Needs the DataSource, APP_CONFIG and SecretBox, which the platform provides globally. Loaded by the
 * API (which serves /l/:code); no job of its own, so workers do not load it.
 */
@Module({
  providers: [
    AffiliateClock,
    ProgramStore,
    RuleStore,
    OfferStore,
    ShowcaseStore,
    ShareLinkStore,
    ClickStore,
    CommissionService,
    ShareLinksService,
    LinkCache,
    ClickRecorder,
    RedirectHandler,
  ],
  exports: [AffiliateClock, CommissionService, ShareLinksService, LinkCache, ClickRecorder, RedirectHandler],
})
export class AffiliateModule {}
