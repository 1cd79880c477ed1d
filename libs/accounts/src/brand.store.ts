import type { EntityManager } from 'typeorm';
import { BrandEntity } from './brand.entity.js';
import { SystemPath } from '@brandshelf/db';

/**
 * The one writer of brand (libs/db/src/table-owners.ts). A brand is the tenant itself: registering one happens
 * before any brand exists to act for, so it is a system method.
 */
export class BrandStore {
  /** A newly registered brand, inside the registration's transaction. */
  @SystemPath('brand.store.systemInsert')
  static systemInsert(manager: EntityManager, values: { name: string; email: string }): Promise<BrandEntity> {
    return manager.getRepository(BrandEntity).save(values);
  }
}
