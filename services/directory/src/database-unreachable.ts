import { databaseUnreachableCode } from '@uif/database';
import { DomainError, type Logger } from '@uif/runtime';
import type { Request, Response } from '@uif/subgraph';

/**
 * Internal routes' answer when the directory's database cannot be reached: a domain error that says
 * so (the import service records it on the job), instead of a masked "Internal server error".
 * Other errors go on unchanged.
 */
export function databaseUnreachableAnswer(log: Logger) {
  return (error: unknown, req: Request, _res: Response, next: (error: unknown) => void): void => {
    const code = databaseUnreachableCode(error);
    if (!code) {
      next(error);
      return;
    }
    log.error({ err: error, path: req.path }, 'the directory database is unreachable');
    next(
      new DomainError(
        'INTERNAL_SERVER_ERROR',
        `The directory's database is unreachable (${code}); try again once it is back`,
      ),
    );
  };
}
