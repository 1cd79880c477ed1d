export * from './catalog.module.js';
export * from './catalog-product.store.js';
export * from './overlaid-sale-windows.js';
export * from './product-identity.store.js';
export * from './publication.store.js';
export * from './publication.entity.js';
export * from './publish.service.js';

import { PublicationEntity } from './publication.entity.js';

export const CATALOG_ENTITIES = [PublicationEntity];
