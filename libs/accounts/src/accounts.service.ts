import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import {
  BadInputError,
  ConflictError,
  NotFoundError,
  UnauthenticatedError,
  isUuid,
  type Principal,
  type RequestContext,
} from '@brandshelf/core';
import { keysetPage, runAsSystem, type KeysetPage, type KeysetRequest } from '@brandshelf/db';
import { ApiKeyEntity } from './api-key.entity.js';
import { apiKeyMatches, mintApiKey, parseApiKey } from './api-key.codec.js';
import { BrandEntity } from './brand.entity.js';
import { CreatorEntity } from './creator.entity.js';
import { ApiKeyStore } from './api-key.store.js';
import { BrandStore } from './brand.store.js';
import { CreatorStore } from './creator.store.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HANDLE = /^[A-Za-z0-9_.]{2,30}$/;

export interface IssuedKey {
  key: ApiKeyEntity;
  plain: string;
}

@Injectable()
export class AccountsService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async registerBrand(input: { name: string; email: string }): Promise<{ brand: BrandEntity; apiKey: IssuedKey }> {
    const name = input.name?.trim();
    if (!name || name.length > 120) throw new BadInputError('name must be 1 to 120 characters.', 'name');
    const email = this.checkEmail(input.email);
    // A system path: the new brand's key is written before anyone is signed in as it.
    return runAsSystem('register-brand', () =>
      this.db.transaction(async (manager) => {
        if (await manager.getRepository(BrandEntity).exists({ where: { email } })) {
          throw new ConflictError(`A brand with email ${email} is already registered.`, {
            field: 'email',
            userErrorCode: 'ALREADY_REGISTERED',
          });
        }
        const brand = await BrandStore.systemInsert(manager, { name, email });
        const apiKey = await this.issueKey(manager, { brandId: brand.id, creatorId: null }, 'default');
        return { brand, apiKey };
      }),
    );
  }

  async registerCreator(input: {
    handle: string;
    email: string;
  }): Promise<{ creator: CreatorEntity; apiKey: IssuedKey }> {
    const handle = input.handle?.trim().replace(/^@/, '');
    if (!handle || !HANDLE.test(handle)) {
      throw new BadInputError('handle must be 2 to 30 letters, digits, dots or underscores.', 'handle');
    }
    const email = this.checkEmail(input.email);
    return runAsSystem('register-creator', () =>
      this.db.transaction(async (manager) => {
        const taken = await manager
          .getRepository(CreatorEntity)
          .createQueryBuilder('c')
          .where('lower(c.handle) = lower(:handle) OR lower(c.email) = lower(:email)', { handle, email })
          .getOne();
        if (taken) {
          const field = taken.handle.toLowerCase() === handle.toLowerCase() ? 'handle' : 'email';
          throw new ConflictError(`A creator with that ${field} is already registered.`, {
            field,
            userErrorCode: 'ALREADY_REGISTERED',
          });
        }
        const creator = await CreatorStore.systemInsert(manager, { handle, email });
        const apiKey = await this.issueKey(manager, { brandId: null, creatorId: creator.id }, 'default');
        return { creator, apiKey };
      }),
    );
  }

  createApiKey(ctx: RequestContext, name: string): Promise<IssuedKey> {
    const owner = this.owner(ctx);
    const trimmed = name?.trim() || 'unnamed';
    if (trimmed.length > 100) throw new BadInputError('name must be at most 100 characters.', 'name');
    return this.issueKey(this.db.manager, owner, trimmed);
  }

  /** A page of this account's keys, oldest first, revoked ones included. */
  pageApiKeys(ctx: RequestContext, request: KeysetRequest): Promise<KeysetPage<ApiKeyEntity>> {
    return keysetPage(
      this.db.getRepository(ApiKeyEntity),
      this.ownerWhere(ctx),
      { by: 'createdAt', direction: 'ASC' },
      request,
    );
  }

  async revokeApiKey(ctx: RequestContext, id: string): Promise<ApiKeyEntity> {
    const repo = this.db.getRepository(ApiKeyEntity);
    const key = isUuid(id) ? await repo.findOne({ where: { id, ...this.ownerWhere(ctx) } }) : null;
    if (!key) throw new NotFoundError('ApiKey', id);
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      await ApiKeyStore.revoke(this.db.manager, this.owner(ctx), key.id, key.revokedAt);
    }
    return key;
  }

  /** Turns a presented key into a principal; any failure is the same UNAUTHENTICATED answer. */
  authenticate(plain: string): Promise<Principal> {
    // A system path: the key says whose it is only once it is found.
    return runAsSystem('authenticate', () => this.lookUpKey(plain));
  }

  private async lookUpKey(plain: string): Promise<Principal> {
    const parsed = parseApiKey(plain);
    const invalid = new UnauthenticatedError('The API key is invalid or has been revoked.');
    if (!parsed) throw invalid;
    const key = await this.db.getRepository(ApiKeyEntity).findOne({ where: { prefix: parsed.prefix } });
    if (!key || key.revokedAt || !apiKeyMatches(plain, key.secretHash)) throw invalid;
    // Best effort and coarse (once a minute) so authentication does not become a write per request.
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
      void ApiKeyStore.touch(this.db.manager, key, key.id).catch(() => undefined);
    }
    if (key.brandId) return { kind: 'brand', brandId: key.brandId, apiKeyId: key.id };
    return { kind: 'creator', creatorId: key.creatorId!, apiKeyId: key.id };
  }

  findBrand(id: string): Promise<BrandEntity | null> {
    return isUuid(id) ? this.db.getRepository(BrandEntity).findOne({ where: { id } }) : Promise.resolve(null);
  }

  findBrands(ids: readonly string[]): Promise<BrandEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.getRepository(BrandEntity).createQueryBuilder('b').where('b.id IN (:...ids)', { ids }).getMany();
  }

  findCreator(id: string): Promise<CreatorEntity | null> {
    return isUuid(id) ? this.db.getRepository(CreatorEntity).findOne({ where: { id } }) : Promise.resolve(null);
  }

  private async issueKey(
    manager: EntityManager,
    owner: { brandId: string | null; creatorId: string | null },
    name: string,
  ): Promise<IssuedKey> {
    const minted = mintApiKey();
    const key = await ApiKeyStore.insert(manager, owner, { name, prefix: minted.prefix, secretHash: minted.hash });
    return { key, plain: minted.plain };
  }

  private owner(ctx: RequestContext): { brandId: string | null; creatorId: string | null } {
    const p = ctx.principal;
    if (p.kind === 'brand') return { brandId: p.brandId, creatorId: null };
    if (p.kind === 'creator') return { brandId: null, creatorId: p.creatorId };
    throw new UnauthenticatedError();
  }

  private ownerWhere(ctx: RequestContext) {
    const { brandId, creatorId } = this.owner(ctx);
    return brandId ? { brandId } : { creatorId: creatorId!, brandId: IsNull() };
  }

  private checkEmail(raw: string): string {
    const email = raw?.trim().toLowerCase();
    if (!email || !EMAIL.test(email) || email.length > 254) {
      throw new BadInputError(`email "${raw}" is not a valid address.`, 'email');
    }
    return email;
  }
}
