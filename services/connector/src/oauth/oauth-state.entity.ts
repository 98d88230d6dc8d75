import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One authorization attempt: single-use, bound to an organization and connector, short-lived. */
@Entity('oauth_states')
export class OAuthState {
  /** SHA-256 of the state sent to the provider: the table never holds a usable state. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  stateHash!: string;

  @Column({ type: 'varchar', length: 64 })
  organizationId!: string;

  @Column({ type: 'varchar', length: 64 })
  connectorId!: string;

  /** The PKCE code verifier, encrypted. */
  @Column({ type: 'text' })
  encryptedVerifier!: string;

  @Column({ type: 'datetime', precision: 3 })
  expiresAt!: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  usedAt!: Date | null;
}
