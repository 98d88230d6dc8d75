import type { ConnectorQuery } from '../gql/graphql';

/** A connector as its screen loads it (ConnectorQuery), handed to each section of the screen. */
export type ConnectorDetails = NonNullable<ConnectorQuery['connector']>;
