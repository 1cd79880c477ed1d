export * from './catalog.module.js';
export * from './publication.entity.js';
export * from './publish.service.js';

import { PublicationEntity } from './publication.entity.js';

export const CATALOG_ENTITIES = [PublicationEntity];
