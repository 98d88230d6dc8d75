import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which directory user of an organization a provider's user (connector + external id) is: makes imports idempotent. */
@Entity('user_links')
export class UserLink {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  organizationId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  connectorId!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  externalId!: string;

  @Column({ type: 'varchar', length: 64 })
  userId!: string;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;
}
