import { DirectoryEventsQuery } from '../api/operations';
import { useQuery } from '../api/use-query';
import type { EventFieldsFragment } from '../gql/graphql';
import { formatTime, humanize } from '../ui/format';
import { href } from '../ui/router';
import { Empty, ErrorPanel, Loading } from '../ui/status';

function describeChanges(changes: unknown): string {
  if (!changes || typeof changes !== 'object') return '';
  return Object.entries(changes as Record<string, { from?: unknown; to?: unknown }>)
    .map(
      ([name, change]) =>
        `${name}: ${JSON.stringify(change?.from ?? null)} → ${JSON.stringify(change?.to ?? null)}`,
    )
    .join('; ');
}

/** Who did what to which user, when, from which connector and job. */
export function EventsTable({
  events,
  showUser = true,
}: {
  events: EventFieldsFragment[];
  showUser?: boolean;
}) {
  if (events.length === 0) return <Empty>No events yet.</Empty>;
  return (
    <table>
      <caption className="visually-hidden">Directory events</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Event</th>
          {showUser && <th scope="col">User</th>}
          <th scope="col">Who</th>
          <th scope="col">Connector</th>
          <th scope="col">Import</th>
          <th scope="col">Changes</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id}>
            <td>{formatTime(event.occurredAt)}</td>
            <td>{humanize(event.type)}</td>
            {showUser && (
              <td>
                <a href={href('users', event.user.id)}>{event.user.email}</a>
              </td>
            )}
            <td>{event.actor}</td>
            <td>
              {event.connector ? (
                <a href={href('connectors', event.connector.id)}>{event.connector.displayLabel}</a>
              ) : (
                '—'
              )}
            </td>
            <td>{event.importJob ? <a href={href('jobs', event.importJob.id)}>View import</a> : '—'}</td>
            <td>{describeChanges(event.changes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function InsightsPage() {
  const { data, error, loading, reload } = useQuery(DirectoryEventsQuery, { connectorId: null });
  return (
    <>
      <h1>Directory Insights</h1>
      {error && <ErrorPanel error={error} retry={reload} />}
      {loading && !data && <Loading what="events" />}
      {data && <EventsTable events={data.directoryEvents} />}
    </>
  );
}
