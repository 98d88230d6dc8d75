import { CONNECTOR_EVENTS_PATH, type ConnectorEvent } from '@uif/connector-client';
import { callInternal, type Logger } from '@uif/runtime';

/**
 * Tells the import service of activations (a default hourly schedule) and deactivations (no more
 * schedule). Best effort: the connector's own state is what imports check, so a missed message
 * costs a schedule, never a wrong import.
 */
export class ImportEvents {
  constructor(
    private readonly importUrl: string,
    private readonly internalSecret: string,
    private readonly log: Logger,
  ) {}

  async tell(event: ConnectorEvent): Promise<void> {
    try {
      await callInternal(this.importUrl, CONNECTOR_EVENTS_PATH, {
        service: 'connector',
        secret: this.internalSecret,
        body: event,
      });
    } catch (error) {
      this.log.warn({ ...event, err: error }, 'the import service was not told of a connector change');
    }
  }
}
