import { BadUserInputError } from '@uif/runtime';
import { Directive, Field, ObjectType } from 'type-graphql';

/** The contract's PageInfo; several subgraphs return it, so it is shareable. */
@Directive('@shareable')
@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}

export const MAX_PAGE_SIZE = 500;

/** Cursors are opaque to clients: the base64url of the last row's sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, argument = 'after'): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor)
    throw new BadUserInputError(`${argument} is not a valid cursor`, [argument]);
  return key;
}

export function checkPageSize(first: number, argument = 'first'): number {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`${argument} must be between 0 and ${MAX_PAGE_SIZE}`, [argument]);
  }
  return first;
}

/** Builds the page of a list fetched with one row more than asked, which tells whether more follow. */
export function toPage<T>(
  rows: T[],
  first: number,
  keyOf: (row: T) => string,
): { nodes: T[]; pageInfo: PageInfo } {
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return {
    nodes,
    pageInfo: { endCursor: last ? encodeCursor(keyOf(last)) : null, hasNextPage: rows.length > first },
  };
}
