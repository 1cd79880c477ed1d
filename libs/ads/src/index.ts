import { ProductSetEntity } from './product-set.entity.js';
import { ChannelExportEntity } from './exports/channel-export.entity.js';
import { CampaignEntity } from './campaigns/campaign.entity.js';
import { CREATIVES_SWEEP } from './creatives/creatives.jobs.js';

export * from './ads.module.js';
export * from './product-set.entity.js';
export * from './product-set.rules.js';
export * from './product-sets.service.js';
export * from './exports/index.js';
export * from './campaigns/index.js';
export * from './creatives/creatives.service.js';
export * from './creatives/creative.store.js';
export * from './creatives/creative-pruner.js';
export * from './creatives/creatives.jobs.js';

export const ADS_ENTITIES = [ProductSetEntity, ChannelExportEntity, CampaignEntity];
export const ADS_JOBS = [CREATIVES_SWEEP];
