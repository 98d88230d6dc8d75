import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An organization's API key; only its SHA-256 is stored (keys are random, so no slow hash is needed). */
@Entity('api_keys')
export class ApiKey {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  organizationId!: string;

  @Column({ type: 'varchar', length: 255 })
  label!: string;

  /** The key's first characters, to tell keys apart in listings without revealing them. */
  @Column({ type: 'varchar', length: 16 })
  prefix!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  revokedAt!: Date | null;
}
