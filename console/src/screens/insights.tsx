import { DirectoryEventsQuery, ImportHoldsQuery } from '../api/operations';
import { useQuery } from '../api/use-query';
import type {
  EventFieldsFragment,
  ImportHoldKind,
  ImportHoldsQuery as ImportHoldsData,
} from '../gql/graphql';
import { humanize } from '../ui/format';
import { href } from '../ui/router';
import { Empty, ErrorPanel, Loading } from '../ui/status';
import { Time } from '../ui/time';

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
            <td>
              <Time iso={event.occurredAt} />
            </td>
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

const HOLD_EVENTS: Record<ImportHoldKind, string> = {
  HELD_BY_BRAKE: 'Held by the brake',
  APPROVED: 'Plan approved',
  CANCELLED: 'Plan cancelled',
};

/** Imports the brake held before they changed anything: who started each, who decided, when. */
function HoldsTable({ holds }: { holds: ImportHoldsData['importHolds'] }) {
  if (holds.length === 0) return <Empty>No import has been held by the brake.</Empty>;
  return (
    <table>
      <caption className="visually-hidden">Imports held by the brake</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Event</th>
          <th scope="col">Who</th>
          <th scope="col">Connector</th>
          <th scope="col">Planned suspensions</th>
          <th scope="col">Import</th>
        </tr>
      </thead>
      <tbody>
        {holds.map((hold) => (
          <tr key={hold.id}>
            <td>
              <Time iso={hold.occurredAt} />
            </td>
            <td>{HOLD_EVENTS[hold.kind]}</td>
            <td>{hold.actor}</td>
            <td>
              <a href={href('connectors', hold.connector.id)}>{hold.connector.displayLabel}</a>
            </td>
            <td>
              {hold.plannedSuspensions} of {hold.activeUsers} active users
            </td>
            <td>
              <a href={href('jobs', hold.importJob.id)}>View import</a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function InsightsPage() {
  const { data, error, loading, reload } = useQuery(DirectoryEventsQuery, { connectorId: null });
  const holds = useQuery(ImportHoldsQuery, {});
  return (
    <>
      <h1>Directory Insights</h1>
      {/* First: rare, and each one stopped an import until an admin decided. */}
      <h2>Imports held by the brake</h2>
      {holds.error && <ErrorPanel error={holds.error} retry={holds.reload} />}
      {holds.loading && !holds.data && <Loading what="held imports" />}
      {holds.data && <HoldsTable holds={holds.data.importHolds} />}
      <h2>User events</h2>
      {error && <ErrorPanel error={error} retry={reload} />}
      {loading && !data && <Loading what="events" />}
      {data && <EventsTable events={data.directoryEvents} />}
    </>
  );
}
