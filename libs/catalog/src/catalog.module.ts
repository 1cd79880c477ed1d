import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  CatalogVersionEntity,
  FeedEntity,
  IngestionModule,
  IngestionRunEntity,
  LIVE_SALE_WINDOWS,
} from '@brandshelf/ingestion';
import { OverlaidSaleWindows } from './overlaid-sale-windows.js';
import { PublicationEntity } from './publication.entity.js';
import { PublishService } from './publish.service.js';

/**
 * Global so that the feed scheduler finds LIVE_SALE_WINDOWS (sales judged where feeds meet) without ingestion
 * depending on this lib.
 */
@Global()
@Module({
  imports: [
    IngestionModule,
    TypeOrmModule.forFeature([PublicationEntity, IngestionRunEntity, FeedEntity, CatalogVersionEntity]),
  ],
  providers: [PublishService, OverlaidSaleWindows, { provide: LIVE_SALE_WINDOWS, useExisting: OverlaidSaleWindows }],
  exports: [PublishService, LIVE_SALE_WINDOWS],
})
export class CatalogModule {}
