import { useState } from 'react';
import { ConnectorsQuery } from '../api/operations';
import { useQuery } from '../api/use-query';
import { formatTime, humanize } from '../ui/format';
import { href } from '../ui/router';
import { Badge, Empty, ErrorPanel, Loading } from '../ui/status';

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

export function ConnectorsPage() {
  const { data, error, loading, reload } = useQuery(ConnectorsQuery);
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
                    {last ? (
                      <a href={href('jobs', last.id)}>
                        {humanize(last.status)} · {formatTime(last.finishedAt ?? last.createdAt)}
                      </a>
                    ) : (
                      'Never'
                    )}
                  </td>
                  <td>{schedule?.enabled ? formatTime(schedule.nextRunAt) : 'Not scheduled'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
