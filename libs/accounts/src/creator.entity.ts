import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('creator')
export class CreatorEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') handle: string;
  @Column('text') email: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
