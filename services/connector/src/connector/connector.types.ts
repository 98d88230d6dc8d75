import { GraphQLJSON } from 'graphql-scalars';
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { USER_ATTRIBUTES, type UserAttribute } from '@uif/mapping';

export enum TotalCountSource {
  HEADER = 'HEADER',
  BODY = 'BODY',
  NONE = 'NONE',
}
registerEnumType(TotalCountSource, {
  name: 'TotalCountSource',
  valuesConfig: { NONE: { description: "The provider does not return a total ('na')." } },
});

export enum PaginationStyle {
  OFFSET = 'OFFSET',
  PAGE_NUMBER = 'PAGE_NUMBER',
  CURSOR = 'CURSOR',
  NEXT_URL = 'NEXT_URL',
}
registerEnumType(PaginationStyle, {
  name: 'PaginationStyle',
  valuesConfig: {
    OFFSET: {
      description: 'limitParam + offsetParam: the offset of the first user of the page (the default).',
    },
    PAGE_NUMBER: {
      description: 'limitParam + offsetParam naming the page number; pages count from firstPage.',
    },
    CURSOR: {
      description:
        "limitParam + offsetParam carrying the cursor read from the previous page's body at cursorPath; no cursor ends the listing.",
    },
    NEXT_URL: {
      description:
        'The next page\'s URL comes from the Link header (rel="next"), or from the body at nextUrlPath; none ends the listing.',
    },
  },
});

/** The contract's UserAttribute enum, from the mapping package's list. */
export const UserAttributeEnum = Object.fromEntries(USER_ATTRIBUTES.map((a) => [a, a])) as {
  [K in UserAttribute]: K;
};
registerEnumType(UserAttributeEnum, { name: 'UserAttribute' });

/** Non-secret auth settings, stored in clear. */
export interface AuthSettings {
  headerName?: string;
  authorizationUrl?: string;
  accessTokenUrl?: string;
  revokeUrl?: string | null;
  clientId?: string;
  scopes?: string | null;
  /** Client credentials: the audience (or resource) the token is for. */
  audience?: string | null;
  /** Client credentials: the client id and secret go in the form body, not an HTTP Basic header. */
  credentialsInBody?: boolean;
  /** HTTP Basic: the user name (the password is secret). */
  username?: string;
}

/** Secret auth values, stored encrypted only. */
export interface AuthSecrets {
  headerValue?: string;
  token?: string;
  clientSecret?: string;
  accessToken?: string;
  refreshToken?: string | null;
  /** Milliseconds since the epoch. */
  accessTokenExpiresAt?: number | null;
  /** HTTP Basic. */
  password?: string;
}

@ObjectType()
export class ListUsersEndpoint {
  @Field({ description: 'Relative to baseUrl, e.g. /employees. Always requested with GET.' })
  path!: string;
  @Field({ description: "Where the user array is: '.' for the root, 'users', 'data.resources.users'." })
  resourceLocation!: string;
  @Field(() => TotalCountSource)
  totalCountSource!: TotalCountSource;
  @Field(() => String, {
    nullable: true,
    description:
      'Header name (HEADER) or JSON path in the body (BODY), e.g. X-Total-Count or meta.total_count.',
  })
  totalCountLocation!: string | null;
  @Field({ description: 'Name of the page-size parameter, e.g. limit or per_page.' })
  limitParam!: string;
  @Field({
    description:
      'Name of the starting-offset parameter, e.g. offset or skip (PAGE_NUMBER: the page parameter; CURSOR: the cursor parameter; NEXT_URL: empty).',
  })
  offsetParam!: string;
  @Field(() => Int)
  pageSize!: number;
  @Field(() => PaginationStyle)
  pagination!: PaginationStyle;
  @Field(() => Int, { nullable: true, description: 'PAGE_NUMBER: the number of the first page, 0 or 1.' })
  firstPage!: number | null;
  @Field(() => String, {
    nullable: true,
    description: "CURSOR: JSON path of the next page's cursor in the body, e.g. meta.next_cursor.",
  })
  cursorPath!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "NEXT_URL: JSON path of the next page's URL in the body; null reads the Link header.",
  })
  nextUrlPath!: string | null;
  @Field(() => [String], {
    description:
      'Names of the extra headers sent with every request (their values are secret and never returned).',
  })
  extraHeaderNames!: string[];
}

@ObjectType()
export class AttributeMappingEntry {
  @Field(() => UserAttributeEnum)
  target!: UserAttribute;
  @Field({
    description: 'JSONPath into one provider user object, e.g. $.work_email or $.attributes.email.value.',
  })
  sourcePath!: string;
  @Field(() => String, {
    nullable: true,
    description:
      'A JSONata expression applied to the value found at sourcePath (bound as $), e.g.\n$lowercase($) or, with sourcePath "$", $lowercase(first_name & "." & last_name). Null: the value as found.',
  })
  transform?: string | null;
}

@ObjectType()
export class AttributeMapping {
  @Field(() => [AttributeMappingEntry], { description: 'EMAIL and USERNAME are always present.' })
  entries!: AttributeMappingEntry[];
  @Field({ description: "JSONPath of the provider's stable user id, used to link and update users." })
  externalIdPath!: string;
  @Field(() => String, {
    nullable: true,
    description: "JSONPath of the provider's employment status; null: every user counts as active.",
  })
  statusPath!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'A JSONata expression applied to the value at statusPath, for a status spread over several fields, e.g. with statusPath "$": end_date and $toMillis(end_date) < $millis() ? "Inactive" : status.',
  })
  statusTransform?: string | null;
  @Field(() => [String], {
    description: 'Statuses that suspend a user (default: Leave, Inactive). Compared case-insensitively.',
  })
  inactiveStatuses!: string[];
  @Field(() => [String], { description: 'Statuses that count as active (default: Onboarding, Active).' })
  activeStatuses!: string[];
}

@InputType()
export class ApiKeyAuthInput {
  @Field()
  headerName!: string;
  @Field()
  headerValue!: string;
}

@InputType()
export class BearerTokenAuthInput {
  @Field()
  token!: string;
}

@InputType()
export class OAuth2AuthInput {
  @Field()
  authorizationUrl!: string;
  @Field()
  clientId!: string;
  @Field()
  clientSecret!: string;
  @Field()
  accessTokenUrl!: string;
  @Field(() => String, { nullable: true })
  revokeUrl?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Space-separated scopes as the provider documents them.',
  })
  scopes?: string | null;
}

@InputType()
export class OAuth2ClientCredentialsInput {
  @Field()
  accessTokenUrl!: string;
  @Field()
  clientId!: string;
  @Field()
  clientSecret!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Space-separated scopes as the provider documents them.',
  })
  scopes?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Some providers want an audience (or resource) parameter in the token request.',
  })
  audience?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Send the client id and secret in the form body instead of an HTTP Basic header.',
  })
  credentialsInBody?: boolean | null;
}

@InputType()
export class BasicAuthInput {
  @Field()
  username!: string;
  @Field()
  password!: string;
}

@InputType()
export class HeaderInput {
  @Field()
  name!: string;
  @Field()
  value!: string;
}

@InputType({ description: 'Exactly one member must be set.' })
export class ConnectorAuthInput {
  @Field(() => ApiKeyAuthInput, { nullable: true })
  apiKey?: ApiKeyAuthInput | null;
  @Field(() => BearerTokenAuthInput, { nullable: true })
  bearerToken?: BearerTokenAuthInput | null;
  @Field(() => OAuth2AuthInput, { nullable: true })
  oauth2?: OAuth2AuthInput | null;
  @Field(() => OAuth2ClientCredentialsInput, { nullable: true })
  oauth2ClientCredentials?: OAuth2ClientCredentialsInput | null;
  @Field(() => BasicAuthInput, { nullable: true })
  basic?: BasicAuthInput | null;
}

@InputType()
export class ListUsersEndpointInput {
  @Field()
  path!: string;
  @Field()
  resourceLocation!: string;
  @Field(() => TotalCountSource)
  totalCountSource!: TotalCountSource;
  @Field(() => String, { nullable: true })
  totalCountLocation?: string | null;
  @Field()
  limitParam!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Required for OFFSET, PAGE_NUMBER and CURSOR; unused by NEXT_URL.',
  })
  offsetParam?: string | null;
  @Field(() => Int, { nullable: true, defaultValue: 100 })
  pageSize?: number | null;
  @Field(() => PaginationStyle, { nullable: true, defaultValue: PaginationStyle.OFFSET })
  pagination?: PaginationStyle | null;
  @Field(() => Int, { nullable: true, defaultValue: 1 })
  firstPage?: number | null;
  @Field(() => String, { nullable: true })
  cursorPath?: string | null;
  @Field(() => String, { nullable: true })
  nextUrlPath?: string | null;
  @Field(() => [HeaderInput], {
    nullable: true,
    description: 'Extra headers sent with every request (values stored encrypted, never returned).',
  })
  extraHeaders?: HeaderInput[] | null;
}

@InputType()
export class CustomApiConnectorInput {
  @Field()
  displayLabel!: string;
  @Field(() => String, { nullable: true })
  description?: string | null;
  @Field()
  baseUrl!: string;
  @Field(() => ConnectorAuthInput)
  auth!: ConnectorAuthInput;
  @Field(() => ListUsersEndpointInput)
  listUsers!: ListUsersEndpointInput;
}

@InputType()
export class ScimConnectorInput {
  @Field()
  displayLabel!: string;
  @Field(() => String, { nullable: true })
  description?: string | null;
  @Field({ description: "The SCIM service's base, e.g. https://app.example.com/scim/v2" })
  baseUrl!: string;
  @Field(() => ConnectorAuthInput)
  auth!: ConnectorAuthInput;
}

@InputType({ description: 'Any member left out keeps its value; secrets are replaced only when given.' })
export class ConnectorUpdateInput {
  @Field(() => String, { nullable: true })
  displayLabel?: string | null;
  @Field(() => String, { nullable: true })
  description?: string | null;
  @Field(() => String, { nullable: true })
  baseUrl?: string | null;
  @Field(() => ConnectorAuthInput, { nullable: true })
  auth?: ConnectorAuthInput | null;
  @Field(() => ListUsersEndpointInput, { nullable: true })
  listUsers?: ListUsersEndpointInput | null;
}

@InputType()
export class AttributeMappingEntryInput {
  @Field(() => UserAttributeEnum)
  target!: UserAttribute;
  @Field()
  sourcePath!: string;
  @Field(() => String, {
    nullable: true,
    description: 'JSONata expression applied to the value at sourcePath; checked when saved.',
  })
  transform?: string | null;
}

@InputType()
export class AttributeMappingInput {
  @Field(() => [AttributeMappingEntryInput])
  entries!: AttributeMappingEntryInput[];
  @Field(() => String, { nullable: true, defaultValue: '$.id' })
  externalIdPath?: string | null;
  @Field(() => String, { nullable: true })
  statusPath?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'JSONata expression applied to the value at statusPath; checked when saved.',
  })
  statusTransform?: string | null;
  @Field(() => [String], { nullable: true, defaultValue: ['Leave', 'Inactive'] })
  inactiveStatuses?: string[] | null;
  @Field(() => [String], { nullable: true, defaultValue: ['Onboarding', 'Active'] })
  activeStatuses?: string[] | null;
}

@ObjectType()
export class ConnectionTestResult {
  @Field()
  ok!: boolean;
  @Field(() => Int, { nullable: true, description: "HTTP status of the provider's answer, if one came." })
  httpStatus!: number | null;
  @Field({ description: 'What went wrong or right, in words an admin can act on.' })
  message!: string;
  @Field(() => String, {
    nullable: true,
    description: "The provider's full response body when the test failed (truncated to 64 KiB).",
  })
  providerResponse!: string | null;
  @Field(() => Int, {
    nullable: true,
    description: 'The total count found where the configuration says; null when NONE or absent.',
  })
  totalCount!: number | null;
  @Field(() => Int, { description: 'How many user objects the first page held.' })
  sampleSize!: number;
}

@ObjectType()
export class SchemaField {
  @Field({ description: 'JSONPath of the field in a user object, e.g. $.attributes.email.value.' })
  path!: string;
  @Field({ description: 'string, number, boolean, object, array or null.' })
  type!: string;
  @Field(() => GraphQLJSON, { nullable: true })
  example!: unknown;
}

@ObjectType()
export class UserSchemaPreview {
  @Field(() => [GraphQLJSON], {
    description: 'The first user objects exactly as the provider returned them.',
  })
  sample!: unknown[];
  @Field(() => [SchemaField], { description: 'Every leaf field seen in the sample.' })
  fields!: SchemaField[];
}

@ObjectType()
export class MappedUserPreview {
  @Field(() => String, { nullable: true })
  externalId!: string | null;
  @Field(() => GraphQLJSON, {
    description: 'The directory attributes the mapping produces for one provider user.',
  })
  attributes!: unknown;
  @Field(() => [String], {
    description: 'Missing required fields, unparsable values: why this user would fail.',
  })
  errors!: string[];
}

@ObjectType()
export class OAuthAuthorization {
  @Field({
    description:
      "Send the admin's browser here; the provider redirects back to the connector service's callback.",
  })
  authorizationUrl!: string;
  @Field()
  state!: string;
}
