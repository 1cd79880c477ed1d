import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IngestionModule } from '@brandshelf/ingestion';
import { ProductSetEntity } from './product-set.entity.js';
import { ProductSetStore } from './product-set.store.js';
import { ProductSetsService } from './product-sets.service.js';
import { ChannelExportEntity } from './exports/channel-export.entity.js';
import { ChannelExportStore } from './exports/channel-export.store.js';
import { ChannelExportsService } from './exports/channel-exports.service.js';
import { CreativesService } from './creatives/creatives.service.js';
import { CreativeStore } from './creatives/creative.store.js';
import { CreativePruner } from './creatives/creative-pruner.js';

/**
 * Brands advertising from their catalog: product sets (campaigns and channel exports build on them), creatives (and
 * their pruning, on CATALOG_CHANGED and CREATIVES_SWEEP: every process that works jobs loads this module).
 */
@Module({
  imports: [TypeOrmModule.forFeature([ProductSetEntity, ChannelExportEntity]), IngestionModule],
  providers: [
    ProductSetStore,
    ProductSetsService,
    ChannelExportStore,
    ChannelExportsService,
    CreativeStore,
    CreativesService,
    CreativePruner,
  ],
  exports: [ProductSetsService, ProductSetStore, ChannelExportsService, CreativesService, CreativePruner],
})
export class AdsModule {}
