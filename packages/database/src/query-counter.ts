import type { Logger as TypeOrmLogger } from 'typeorm';

/** A TypeORM logger that only counts statements: tests assert how many a code path costs. */
export class QueryCounter implements TypeOrmLogger {
  readonly statements: string[] = [];

  logQuery(query: string): void {
    this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  /** Statements recorded while `work` ran. */
  async during(work: () => Promise<unknown>): Promise<string[]> {
    const start = this.statements.length;
    await work();
    return this.statements.slice(start);
  }
}
