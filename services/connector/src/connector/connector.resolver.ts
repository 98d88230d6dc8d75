import { organizationOf } from '@uif/subgraph';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ConnectorContext } from '../context.js';
import { Connector } from './connector.entity.js';
import { authSummary } from './connector.service.js';
import {
  AttributeMappingInput,
  ConnectionTestResult,
  ConnectorUpdateInput,
  CustomApiConnectorInput,
  MappedUserPreview,
  OAuthAuthorization,
  ScimConnectorInput,
  UserSchemaPreview,
} from './connector.types.js';

@Resolver(() => Connector)
export class ConnectorResolver {
  @Query(() => [Connector])
  connectors(@Ctx() context: ConnectorContext): Promise<Connector[]> {
    return context.services.connectors.list(organizationOf(context));
  }

  @Query(() => Connector, { nullable: true })
  connector(@Arg('id', () => ID) id: string, @Ctx() context: ConnectorContext): Promise<Connector | null> {
    return context.loaders.connectors.load(id);
  }

  @Query(() => UserSchemaPreview)
  userSchemaPreview(
    @Arg('connectorId', () => ID) connectorId: string,
    @Ctx() context: ConnectorContext,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 5 }) limit = 5,
  ): Promise<UserSchemaPreview> {
    return context.services.connectors.schemaPreview(organizationOf(context), connectorId, limit);
  }

  @Query(() => [MappedUserPreview])
  mappedUserPreview(
    @Arg('connectorId', () => ID) connectorId: string,
    @Ctx() context: ConnectorContext,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 5 }) limit = 5,
  ): Promise<MappedUserPreview[]> {
    return context.services.connectors.mappedPreview(organizationOf(context), connectorId, limit);
  }

  @Mutation(() => Connector)
  createCustomApiConnector(
    @Arg('input', () => CustomApiConnectorInput) input: CustomApiConnectorInput,
    @Ctx() context: ConnectorContext,
  ): Promise<Connector> {
    return context.services.connectors.createCustomApi(organizationOf(context), input);
  }

  @Mutation(() => Connector)
  createScimConnector(
    @Arg('input', () => ScimConnectorInput) input: ScimConnectorInput,
    @Ctx() context: ConnectorContext,
  ): Promise<Connector> {
    return context.services.connectors.createScim(organizationOf(context), input);
  }

  @Mutation(() => Connector)
  updateConnector(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ConnectorUpdateInput) input: ConnectorUpdateInput,
    @Ctx() context: ConnectorContext,
  ): Promise<Connector> {
    return context.services.connectors.update(organizationOf(context), id, input);
  }

  @Mutation(() => OAuthAuthorization)
  beginOAuthAuthorization(
    @Arg('connectorId', () => ID) connectorId: string,
    @Ctx() context: ConnectorContext,
  ): Promise<OAuthAuthorization> {
    return context.services.connectors.beginOAuthAuthorization(organizationOf(context), connectorId);
  }

  @Mutation(() => ConnectionTestResult)
  testConnection(
    @Arg('connectorId', () => ID) connectorId: string,
    @Ctx() context: ConnectorContext,
  ): Promise<ConnectionTestResult> {
    return context.services.connectors.testConnection(organizationOf(context), connectorId);
  }

  @Mutation(() => Connector)
  setAttributeMapping(
    @Arg('connectorId', () => ID) connectorId: string,
    @Arg('input', () => AttributeMappingInput) input: AttributeMappingInput,
    @Ctx() context: ConnectorContext,
  ): Promise<Connector> {
    return context.services.connectors.setMapping(organizationOf(context), connectorId, input);
  }

  @Mutation(() => Connector)
  activateConnector(
    @Arg('connectorId', () => ID) connectorId: string,
    @Ctx() context: ConnectorContext,
  ): Promise<Connector> {
    return context.services.connectors.activate(organizationOf(context), connectorId);
  }

  @Mutation(() => Connector)
  deactivateConnector(
    @Arg('connectorId', () => ID) connectorId: string,
    @Ctx() context: ConnectorContext,
  ): Promise<Connector> {
    return context.services.connectors.deactivate(organizationOf(context), connectorId);
  }

  @FieldResolver(() => String, {
    description: 'Secrets are never returned: only what identifies them, e.g. the API key header name.',
  })
  authSummary(@Root() connector: Connector): string {
    return authSummary(connector);
  }
}

/** `_entities` for Connector, scoped to the caller's organization. */
export const connectorReferenceResolver = {
  Connector: {
    __resolveReference: (reference: { id: string }, context: ConnectorContext) =>
      context.loaders.connectors.load(reference.id),
  },
};
