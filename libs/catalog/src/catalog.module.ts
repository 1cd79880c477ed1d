import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogVersionEntity, FeedEntity, IngestionModule, IngestionRunEntity } from '@brandshelf/ingestion';
import { PublicationEntity } from './publication.entity.js';
import { PublishService } from './publish.service.js';

@Module({
  imports: [
    IngestionModule,
    TypeOrmModule.forFeature([PublicationEntity, IngestionRunEntity, FeedEntity, CatalogVersionEntity]),
  ],
  providers: [PublishService],
  exports: [PublishService],
})
export class CatalogModule {}
