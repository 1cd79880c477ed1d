import type { EntityManager } from 'typeorm';
import { PublicationEntity } from './publication.entity.js';

/**
 * The one writer of publication (libs/db/src/table-owners.ts): the record of each publish and rollback of the
 * brand's feeds, written in the publish's transaction.
 */
export class PublicationStore {
  /** Records a publish of the brand's feed. */
  static insert(
    manager: EntityManager,
    brandId: string,
    values: Omit<Partial<PublicationEntity>, 'brandId'>,
  ): Promise<PublicationEntity> {
    return manager.getRepository(PublicationEntity).save({ ...values, brandId });
  }
}
