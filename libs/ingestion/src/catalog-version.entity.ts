import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('catalog_version')
export class CatalogVersionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') brandId: string;
  @Column('uuid') feedId: string;
  @Column('uuid') runId: string;
  @Column('integer') number: number;
  @Column('integer') itemCount: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
