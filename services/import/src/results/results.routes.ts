import { pipeline } from 'node:stream/promises';
import type { Logger } from '@uif/runtime';
import type { Router } from '@uif/subgraph';
import type { ImportResultService } from './import-result.service.js';
import { resultsCsv } from './results-csv.js';
import { RESULTS_DOWNLOAD_PATH, type ResultsLinks } from './results-links.js';

/**
 * GET /internal/import-results/:token: the CSV behind a results link (the gateway forwards its
 * public /import-results/:token here). The token names the job and its organization.
 */
export function mountResultsRoutes(
  router: Router,
  links: ResultsLinks,
  results: ImportResultService,
  log: Logger,
): void {
  router.get(`${RESULTS_DOWNLOAD_PATH}/:token`, async (req, res) => {
    const claims = links.verify(req.params.token);
    if (!claims) {
      res.status(404).type('text/plain').send('This results link is unknown or has expired.');
      return;
    }
    const kind = (await results.isDryRun(claims.jobId)) ? 'dry-run-results' : 'results';
    res.status(200).type('text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="import-${claims.jobId}-${kind}.csv"`);
    await pipeline(resultsCsv(results.all(claims.jobId)), res).catch((error: unknown) =>
      log.warn({ jobId: claims.jobId, err: error }, 'the results download stopped'),
    );
  });
}
