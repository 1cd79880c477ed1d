import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProductSetEntity } from './product-set.entity.js';
import { ProductSetStore } from './product-set.store.js';
import { ProductSetsService } from './product-sets.service.js';

/** Brands advertising from their catalog: product sets (campaigns and channel exports build on them). */
@Module({
  imports: [TypeOrmModule.forFeature([ProductSetEntity])],
  providers: [ProductSetStore, ProductSetsService],
  exports: [ProductSetsService],
})
export class AdsModule {}
