import type { ObjectLiteral, Repository } from 'typeorm';

/**
 * The rows matching `where` (column = value) whose `column` is one of `values`, optionally only the
 * `select`ed columns. TypeORM's In() makes each value a parameter of its own, and registering each
 * checks all those before it: a few thousand values cost millions of steps. One list parameter
 * expands into the same SQL.
 */
export function findIn<T extends ObjectLiteral>(
  repository: Repository<T>,
  where: Partial<Record<keyof T & string, unknown>>,
  column: keyof T & string,
  values: readonly unknown[],
  select?: readonly (keyof T & string)[],
): Promise<T[]> {
  if (values.length === 0) return Promise.resolve([]);
  const query = repository.createQueryBuilder('row');
  if (select) query.select(select.map((name) => `row.${name}`));
  for (const [name, value] of Object.entries(where))
    query.andWhere(`row.${name} = :${name}`, { [name]: value });
  return query.andWhere(`row.${column} IN (:...inValues)`, { inValues: values }).getMany();
}
