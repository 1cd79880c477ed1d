import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { NotFoundError, isUuid, type BrandContext } from '@brandshelf/core';
import { keysetPage, type KeysetPage, type KeysetRequest, SystemPath } from '@brandshelf/db';
import { ChannelExportEntity } from './channel-export.entity.js';
import type { ExportChannel } from './channels.js';

/** The only code that reads or writes `channel_export`; every method takes the brand but the token lookup. */
@Injectable()
export class ChannelExportStore {
  constructor(@InjectRepository(ChannelExportEntity) private readonly exports: Repository<ChannelExportEntity>) {}

  create(
    ctx: BrandContext,
    input: { channel: ExportChannel; productSetId: string | null; tokenHash: string },
  ): Promise<ChannelExportEntity> {
    return this.exports.save(
      this.exports.create({ ...input, brandId: ctx.principal.brandId, tokenRotatedAt: new Date() }),
    );
  }

  async get(ctx: BrandContext, id: string): Promise<ChannelExportEntity> {
    const found = isUuid(id) ? await this.exports.findOneBy({ id, brandId: ctx.principal.brandId }) : null;
    if (!found) throw new NotFoundError('Channel export', id, { idType: 'ChannelExport' });
    return found;
  }

  async rotate(ctx: BrandContext, id: string, tokenHash: string): Promise<ChannelExportEntity> {
    const found = await this.get(ctx, id);
    await this.exports.update(
      { id: found.id, brandId: ctx.principal.brandId },
      { tokenHash, tokenRotatedAt: new Date() },
    );
    return this.get(ctx, id);
  }

  async delete(ctx: BrandContext, id: string): Promise<void> {
    const result = await this.exports.delete({ id: (await this.get(ctx, id)).id, brandId: ctx.principal.brandId });
    if (!result.affected) throw new NotFoundError('Channel export', id, { idType: 'ChannelExport' });
  }

  page(ctx: BrandContext, request: KeysetRequest): Promise<KeysetPage<ChannelExportEntity>> {
    return keysetPage(this.exports, { brandId: ctx.principal.brandId }, { by: 'createdAt', direction: 'ASC' }, request);
  }

  /** System lookup for GET /exports/:token: the export whose token hashes to this, of any brand. */
  @SystemPath('channel-export.store.systemFindByTokenHash')
  systemFindByTokenHash(tokenHash: string): Promise<ChannelExportEntity | null> {
    return this.exports.findOneBy({ tokenHash });
  }
}
