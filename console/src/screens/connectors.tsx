import { useEffect, useState } from 'react';
import { subscribe } from '../api/client';
import { ConnectorsQuery, ImportJobUpdatesSubscription } from '../api/operations';
import { useQuery } from '../api/use-query';
import type { ImportJobUpdatesSubscription as UpdatesData } from '../gql/graphql';
import { humanize } from '../ui/format';
import { href } from '../ui/router';
import { Badge, Empty, ErrorPanel, Loading } from '../ui/status';
import { Time } from '../ui/time';

function NewConnectorMenu() {
  const [open, setOpen] = useState(false);
  return (
    <div className="menu">
      <button type="button" className="primary" aria-expanded={open} onClick={() => setOpen(!open)}>
        New connector
      </button>
      {open && (
        <ul className="menu-items">
          <li>
            <a href={href('connectors', 'new', 'custom-api')}>Custom API</a>
          </li>
          <li>
            <a href={href('connectors', 'new', 'scim')}>SCIM</a>
          </li>
        </ul>
      )}
    </div>
  );
}

type JobUpdate = UpdatesData['importJobUpdates'];

/** The organization's imports as they run (the importJobUpdates feed), by connector; a finished one reloads the list. */
function useRunningImports(reload: () => void): Record<string, JobUpdate> {
  const [running, setRunning] = useState<Record<string, JobUpdate>>({});
  useEffect(
    () =>
      subscribe(
        ImportJobUpdatesSubscription,
        {},
        {
          next: ({ importJobUpdates: update }) => {
            const connectorId = update.job.connector.id;
            const active = update.status === 'QUEUED' || update.status === 'RUNNING';
            setRunning((all) => {
              const next = { ...all };
              if (active) next[connectorId] = update;
              else delete next[connectorId];
              return next;
            });
            if (!active) reload();
          },
          error: () => undefined, // the list itself still shows the last import
        },
      ),
    [reload],
  );
  return running;
}

function runningText(update: JobUpdate): string {
  const amount =
    typeof update.percent === 'number'
      ? `${Math.round(update.percent)} %`
      : `${update.counts.fetched} users read`;
  return `${update.status === 'QUEUED' ? 'Queued' : 'Running'} · ${amount}`;
}

export function ConnectorsPage() {
  const { data, error, loading, reload } = useQuery(ConnectorsQuery);
  const running = useRunningImports(reload);
  return (
    <>
      <div className="page-header">
        <h1>Connectors</h1>
        <NewConnectorMenu />
      </div>
      {error && <ErrorPanel error={error} retry={reload} />}
      {loading && !data && <Loading what="connectors" />}
      {data && data.connectors.length === 0 && (
        <Empty>No connectors yet. Create one to import users from an HR system or a SCIM application.</Empty>
      )}
      {data && data.connectors.length > 0 && (
        <table>
          <caption className="visually-hidden">Connectors</caption>
          <thead>
            <tr>
              <th scope="col">Display Label</th>
              <th scope="col">Kind</th>
              <th scope="col">State</th>
              <th scope="col">Last import</th>
              <th scope="col">Next scheduled run</th>
            </tr>
          </thead>
          <tbody>
            {data.connectors.map((connector) => {
              const last = connector.importJobs[0];
              const live = running[connector.id];
              const schedule = connector.importSchedule;
              return (
                <tr key={connector.id}>
                  <td>
                    <a href={href('connectors', connector.id)}>{connector.displayLabel}</a>
                  </td>
                  <td>{connector.kind === 'SCIM' ? 'SCIM' : 'Custom API'}</td>
                  <td>
                    <Badge value={connector.state} />
                  </td>
                  <td>
                    {live ? (
                      <a href={href('jobs', live.jobId)}>{runningText(live)}</a>
                    ) : last ? (
                      <a href={href('jobs', last.id)}>
                        {humanize(last.status)} · <Time iso={last.finishedAt ?? last.createdAt} />
                      </a>
                    ) : (
                      'Never'
                    )}
                  </td>
                  <td>{schedule?.enabled ? <Time iso={schedule.nextRunAt} /> : 'Not scheduled'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
