import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { SetRule } from './product-set.rules.js';

/** A brand's saved product set: a name and its rules (validated, normalized; see product-set.rules.ts). */
@Entity('product_set')
export class ProductSetEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') brandId: string;
  @Column('text') name: string;
  @Column('jsonb') rules: SetRule;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
