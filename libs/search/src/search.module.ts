import { Module } from '@nestjs/common';
import { SearchService } from './search.service.js';

/** Product search over the live catalog. Needs the DataSource, which the app's DatabaseModule provides globally. */
@Module({ providers: [SearchService], exports: [SearchService] })
export class SearchModule {}
