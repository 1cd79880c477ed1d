import type { EntityManager } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity.js';

/** Whose key: a brand's or a creator's (exactly one is set). */
export interface KeyOwner {
  brandId: string | null;
  creatorId: string | null;
}

/**
 * The one writer of api_key (libs/db/src/table-owners.ts). Every method takes the key's owner (the brand, or the
 * creator), and writes only that owner's keys.
 */
export class ApiKeyStore {
  /** A new key of `owner`, stored as its prefix and the hash of its secret. */
  static insert(
    manager: EntityManager,
    owner: KeyOwner,
    values: { name: string; prefix: string; secretHash: string },
  ): Promise<ApiKeyEntity> {
    return manager.getRepository(ApiKeyEntity).save({ ...owner, ...values });
  }

  /** Revokes `owner`'s key `keyId` as of `at`. */
  static async revoke(manager: EntityManager, owner: KeyOwner, keyId: string, at: Date): Promise<void> {
    await manager.getRepository(ApiKeyEntity).update(ownerWhere(owner, keyId), { revokedAt: at });
  }

  /** Notes that `owner`'s key `keyId` was just used (authentication, at most once a minute). */
  static async touch(manager: EntityManager, owner: KeyOwner, keyId: string): Promise<void> {
    await manager.getRepository(ApiKeyEntity).update(ownerWhere(owner, keyId), { lastUsedAt: new Date() });
  }
}

function ownerWhere(owner: KeyOwner, id: string) {
  return owner.brandId ? { id, brandId: owner.brandId } : { id, creatorId: owner.creatorId! };
}
