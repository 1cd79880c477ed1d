import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('catalog_version')
export class CatalogVersionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') brandId: string;
  @Column('uuid') feedId: string;
  @Column('uuid') runId: string;
  @Column('integer') number: number;
  @Column('integer') itemCount: number;
  /**
   * When a sale of its items next starts or ends; the scheduler reads its run's file again then if it is live, and
   * clears this. Null when none will, or once acted on.
   */
  @Column('timestamptz', { nullable: true }) nextSaleChangeAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
