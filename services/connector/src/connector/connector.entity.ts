import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AfterLoad, Column, Entity, PrimaryColumn } from 'typeorm';
import {
  AttributeMapping,
  ListUsersEndpoint,
  PaginationStyle,
  type AuthSettings,
} from './connector.types.js';

export enum ConnectorKind {
  CUSTOM_API = 'CUSTOM_API',
  SCIM = 'SCIM',
}
registerEnumType(ConnectorKind, { name: 'ConnectorKind' });

export enum ConnectorState {
  CONFIGURED = 'CONFIGURED',
  ACTIVE = 'ACTIVE',
  DEACTIVATED = 'DEACTIVATED',
}
registerEnumType(ConnectorState, {
  name: 'ConnectorState',
  valuesConfig: {
    CONFIGURED: { description: 'Saved with a complete configuration; not yet activated.' },
    ACTIVE: { description: 'Mapping verified and activated: imports may run.' },
    DEACTIVATED: {
      description: 'Identity management deactivated: nothing syncs; users are left as they are.',
    },
  },
});

export enum AuthMethod {
  API_KEY = 'API_KEY',
  BEARER_TOKEN = 'BEARER_TOKEN',
  OAUTH2_AUTHORIZATION_CODE = 'OAUTH2_AUTHORIZATION_CODE',
  OAUTH2_CLIENT_CREDENTIALS = 'OAUTH2_CLIENT_CREDENTIALS',
  BASIC = 'BASIC',
}
registerEnumType(AuthMethod, {
  name: 'AuthMethod',
  valuesConfig: {
    OAUTH2_CLIENT_CREDENTIALS: {
      description:
        "Machine-to-machine OAuth 2.0: a token from the token URL with the client's own credentials, renewed before it expires.",
    },
    BASIC: { description: 'HTTP Basic: a user name and password (or an API key as the user name).' },
  },
});

/** An application connector users are imported from: the federation entity `Connector`, owned here. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An application connector that users are imported from (entity, key: id).' })
@Entity('connectors')
export class Connector {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  organizationId!: string;

  @Field()
  @Column({ type: 'varchar', length: 255 })
  displayLabel!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 1024, nullable: true })
  description!: string | null;

  @Field(() => ConnectorKind)
  @Column({ type: 'varchar', length: 16 })
  kind!: ConnectorKind;

  @Field(() => ConnectorState)
  @Column({ type: 'varchar', length: 16 })
  state!: ConnectorState;

  @Field()
  @Column({ type: 'varchar', length: 2048 })
  baseUrl!: string;

  @Field(() => AuthMethod)
  @Column({ type: 'varchar', length: 32 })
  authMethod!: AuthMethod;

  @Field({ description: 'False for an OAuth2 connector until the authorization flow has completed.' })
  @Column({ type: 'boolean' })
  authorized!: boolean;

  /** The non-secret half of the auth settings (header name, OAuth URLs, client id, scopes). */
  @Column({ type: 'simple-json' })
  authSettings!: AuthSettings;

  /** The secret half (API key value, tokens, client secret), encrypted with SECRET_KEY. */
  @Column({ type: 'text' })
  encryptedSecrets!: string;

  @Field(() => ListUsersEndpoint, {
    nullable: true,
    description: 'Null for SCIM connectors, whose list endpoint is /Users by the standard.',
  })
  @Column({ type: 'simple-json', nullable: true })
  listUsers!: ListUsersEndpoint | null;

  @Field(() => AttributeMapping, { nullable: true })
  @Column({ type: 'simple-json', nullable: true })
  mapping!: AttributeMapping | null;

  /** The extra headers' values by name ({} when none), encrypted with SECRET_KEY; their names are in listUsers. */
  @Column({ type: 'text', nullable: true })
  encryptedExtraHeaders!: string | null;

  /** SCIM: users per page when the service allows fewer than we ask for (its maxResults); else null. */
  @Column({ type: 'int', nullable: true })
  scimPageSize!: number | null;

  @Field()
  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Field()
  @Column({ type: 'datetime', precision: 3 })
  updatedAt!: Date;

  /** Connectors saved before the pagination styles page by offset, with no extra headers. */
  @AfterLoad()
  protected pagingDefaults(): void {
    if (!this.listUsers) return;
    const defaults = {
      pagination: PaginationStyle.OFFSET,
      firstPage: null,
      cursorPath: null,
      nextUrlPath: null,
      extraHeaderNames: [],
    };
    this.listUsers = Object.assign(defaults, this.listUsers);
  }
}
