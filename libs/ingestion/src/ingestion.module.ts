import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BrandStorageService } from './brand-storage.service.js';
import { CatalogVersionEntity } from './catalog-version.entity.js';
import { FeedEntity } from './feed.entity.js';
import { FeedScheduler } from './feed.scheduler.js';
import { FeedStore } from './feed.store.js';
import { FeedRuleSetStore } from './feed-rule-set.store.js';
import { FeedRulesService } from './feed-rules.service.js';
import { RunImagesService } from './images/run-images.service.js';
import { FeedsService } from './feeds.service.js';
import { IngestionRunEntity } from './ingestion-run.entity.js';
import { IngestionRunStore } from './ingestion-run.store.js';
import { IngestionPipeline } from './ingestion.pipeline.js';
import { RunSourceService } from './run-source.service.js';
import { RunsService } from './runs.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([FeedEntity, IngestionRunEntity, CatalogVersionEntity])],
  providers: [
    IngestionRunStore,
    FeedStore,
    FeedRuleSetStore,
    FeedRulesService,
    RunSourceService,
    FeedsService,
    RunsService,
    IngestionPipeline,
    FeedScheduler,
    RunImagesService,
    BrandStorageService,
  ],
  exports: [
    IngestionRunStore,
    FeedStore,
    FeedRuleSetStore,
    FeedRulesService,
    RunSourceService,
    FeedsService,
    RunsService,
    IngestionPipeline,
    RunImagesService,
    BrandStorageService,
  ],
})
export class IngestionModule {}
