export * from './accounts.module.js';
export * from './accounts.service.js';
export * from './api-key.codec.js';
export * from './api-key.entity.js';
export * from './api-key.store.js';
export * from './brand.store.js';
export * from './creator.store.js';
export * from './brand.entity.js';
export * from './creator.entity.js';

import { ApiKeyEntity } from './api-key.entity.js';
import { BrandEntity } from './brand.entity.js';
import { CreatorEntity } from './creator.entity.js';

export const ACCOUNTS_ENTITIES = [BrandEntity, CreatorEntity, ApiKeyEntity];
