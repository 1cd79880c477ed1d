import type { EntityManager } from 'typeorm';
import { CreatorEntity } from './creator.entity.js';
import { SystemPath } from '@brandshelf/db';

/**
 * The one writer of creator (libs/db/src/table-owners.ts). A creator is an account of its own, not a brand's row:
 * registering one acts for no brand, so it is a system method.
 */
export class CreatorStore {
  /** A newly registered creator, inside the registration's transaction. */
  @SystemPath('creator.store.systemInsert')
  static systemInsert(manager: EntityManager, values: { handle: string; email: string }): Promise<CreatorEntity> {
    return manager.getRepository(CreatorEntity).save(values);
  }
}
