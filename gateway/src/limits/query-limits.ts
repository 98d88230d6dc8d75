import type { ApolloServerPlugin } from '@apollo/server';
import depthLimit from 'graphql-depth-limit';
import { GraphQLError, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import type * as QueryComplexity from 'graphql-query-complexity';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { createRequire } from 'node:module';

// Its ESM build imports graphql's .mjs files, a second graphql realm beside the CommonJS one
// Apollo uses ("Cannot use GraphQLObjectType from another module or realm"): load its CommonJS build.
const { getComplexity } = createRequire(import.meta.url)(
  'graphql-query-complexity',
) as typeof QueryComplexity;

/** Rejects documents nested deeper than `maxDepth` before anything is planned. */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return depthLimit(maxDepth);
}

/** A field costs 1 plus its selections, multiplied by the page size it asks for. */
const pagedFieldEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const pageSize = typeof args.first === 'number' ? Math.max(args.first, 1) : 1;
  return 1 + childComplexity * pageSize;
};

export interface CostCheck {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables: Record<string, unknown>;
  operationName?: string | null | undefined;
  maxCost: number;
}

/** The estimated cost; variables that do not fit the operation are the caller's mistake, said as such. */
function costOf({ schema, document, variables, operationName }: CostCheck): number {
  try {
    return getComplexity({
      schema,
      query: document,
      variables,
      ...(operationName ? { operationName } : {}),
      estimators: [pagedFieldEstimator],
    });
  } catch (error) {
    // getComplexity coerces the variables first: a missing required field or an unknown enum value
    // throws here, before Apollo's own check could answer it as BAD_USER_INPUT.
    throw new GraphQLError(error instanceof Error ? error.message : String(error), {
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
  }
}

/** Throws a BAD_USER_INPUT GraphQLError when the operation's estimated cost exceeds `maxCost`. */
export function checkOperationCost(check: CostCheck): void {
  const { maxCost } = check;
  const cost = costOf(check);
  if (cost > maxCost) {
    throw new GraphQLError(
      `The query costs ${cost}, more than the limit of ${maxCost}: ask for smaller pages`,
      {
        extensions: { code: 'BAD_USER_INPUT', cost, maxCost, http: { status: 400 } },
      },
    );
  }
}

/** Refuses an operation whose estimated cost exceeds `maxCost` (it needs the variables, so it runs per request). */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          checkOperationCost({
            schema,
            document,
            variables: request.variables ?? {},
            operationName: request.operationName,
            maxCost,
          });
        },
      };
    },
  };
}
