import type { ConnectorView } from '@uif/connector-client';
import { DomainError } from '@uif/runtime';
import type { ImportJob } from '../import-job/import-job.entity.js';
import type { ConnectorReads } from './matched-pages.js';

/** Raised when the connector may no longer be read (deactivated, not authorized). */
class ConnectorUnavailable extends DomainError {}

/**
 * The job's connector, if it may still be read from: asked before the job starts and again before
 * every batch, as a connector deactivated meanwhile stops the job.
 */
export async function usableConnector(connectors: ConnectorReads, job: ImportJob): Promise<ConnectorView> {
  const connector = await connectors.connector(job.organizationId, job.connectorId);
  if (connector.state !== 'ACTIVE') {
    throw new ConnectorUnavailable(
      'CONFLICT',
      `Connector ${connector.displayLabel} is ${connector.state.toLowerCase()}: the import stopped`,
    );
  }
  if (!connector.authorized || !connector.mapping || !connector.paging) {
    throw new ConnectorUnavailable('CONFLICT', `Connector ${connector.displayLabel} is not ready to import`);
  }
  return connector;
}
