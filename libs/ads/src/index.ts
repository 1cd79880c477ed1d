import { ProductSetEntity } from './product-set.entity.js';

export * from './ads.module.js';
export * from './product-set.entity.js';
export * from './product-set.rules.js';
export * from './product-sets.service.js';

export const ADS_ENTITIES = [ProductSetEntity];
