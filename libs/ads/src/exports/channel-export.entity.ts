import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ExportChannel } from './channels.js';

/** A brand's export of its live catalog (or one product set) to one channel, found by the hash of its token. */
@Entity('channel_export')
export class ChannelExportEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') brandId: string;
  @Column('text') channel: ExportChannel;
  @Column('uuid', { nullable: true }) productSetId: string | null;
  /** sha256 of the token, hex; the token itself is shown once and never stored. */
  @Column('text', { select: false }) tokenHash: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz') tokenRotatedAt: Date;
}
