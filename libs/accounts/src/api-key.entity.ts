import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('api_key')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Set for a brand's key; null for a creator's (the check constraint keeps exactly one owner). */
  @Column('uuid', { nullable: true }) brandId: string | null;
  @Column('uuid', { nullable: true }) creatorId: string | null;
  @Column('text') name: string;
  /** The public part of the key, used to find the row; not a secret. */
  @Column('text') prefix: string;
  /** sha256 of the whole key. Keys carry 192 random bits, so a fast hash is safe here. */
  @Column('text') secretHash: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) lastUsedAt: Date | null;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
}
