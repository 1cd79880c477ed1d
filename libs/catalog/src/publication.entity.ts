import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const PUBLICATION_KINDS = ['PUBLISH', 'ROLLBACK', 'AUTO_PUBLISH'] as const;
export type PublicationKind = (typeof PUBLICATION_KINDS)[number];

@Entity('publication')
export class PublicationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') brandId: string;
  @Column('uuid') feedId: string;
  @Column('uuid') versionId: string;
  @Column('uuid', { nullable: true }) previousVersionId: string | null;
  @Column('uuid', { nullable: true }) runId: string | null;
  @Column('text') kind: PublicationKind;
  @Column('integer') created: number;
  @Column('integer') updated: number;
  @Column('integer') unchanged: number;
  @Column('integer') removed: number;
  /** Items of the version not published because their main image is not processed. */
  @Column('integer') leftOut: number;
  @Column('jsonb') leftOutByReason: { reason: string; count: number }[];
  @Column('timestamptz') publishedAt: Date;
}
