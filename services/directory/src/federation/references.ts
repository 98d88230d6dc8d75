import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A connector, referenced by id; the connector subgraph resolves its fields. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Connector {
  @Field(() => ID)
  id!: string;
}

/** An import job, referenced by id; the import subgraph resolves its fields. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class ImportJob {
  @Field(() => ID)
  id!: string;
}

export const connectorReference = (id: string | null): Connector | null => (id ? { id } : null);
export const importJobReference = (id: string | null): ImportJob | null => (id ? { id } : null);
