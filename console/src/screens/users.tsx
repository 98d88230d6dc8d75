import { useEffect, useState } from 'react';
import { UserQuery, UsersQuery } from '../api/operations';
import { useQuery } from '../api/use-query';
import type { UserState } from '../gql/graphql';
import { SelectField, TextField } from '../ui/field';
import { formatTime } from '../ui/format';
import { href } from '../ui/router';
import { DetailList } from '../ui/details';
import { Badge, Empty, ErrorPanel, Loading } from '../ui/status';
import { EventsTable } from './insights';

function useDebounced(value: string, ms = 300): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function UsersPage() {
  const [search, setSearch] = useState('');
  const [state, setState] = useState<UserState | ''>('');
  const [after, setAfter] = useState<string | null>(null);
  const term = useDebounced(search);
  const { data, error, loading, reload } = useQuery(UsersQuery, {
    filter: { search: term || null, state: state || null },
    after,
  });
  const users = data?.users;
  return (
    <>
      <h1>Users</h1>
      <div className="filters">
        <TextField
          label="Search"
          type="search"
          value={search}
          onChange={(e) => {
            setAfter(null);
            setSearch(e.target.value);
          }}
        />
        <SelectField
          label="State"
          value={state}
          onChange={(e) => {
            setAfter(null);
            setState(e.target.value as UserState | '');
          }}
        >
          <option value="">Any state</option>
          <option value="ACTIVE">Active</option>
          <option value="SUSPENDED">Suspended</option>
          <option value="STAGED">Staged</option>
        </SelectField>
      </div>
      {error && <ErrorPanel error={error} retry={reload} />}
      {loading && !data && <Loading what="users" />}
      {users && users.nodes.length === 0 && <Empty>No user matches.</Empty>}
      {users && users.nodes.length > 0 && (
        <>
          <table>
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col">Password status</th>
                <th scope="col">Imported from</th>
              </tr>
            </thead>
            <tbody>
              {users.nodes.map((user) => (
                <tr key={user.id}>
                  <td>
                    <a href={href('users', user.id)}>{user.email}</a>
                  </td>
                  <td>{user.username}</td>
                  <td>
                    {user.displayname ?? ([user.firstname, user.lastname].filter(Boolean).join(' ') || '—')}
                  </td>
                  <td>
                    <Badge value={user.state} />
                  </td>
                  <td>{user.passwordStatus === 'PENDING' ? 'Password Pending' : 'Set'}</td>
                  <td>{user.importedFrom?.displayLabel ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            {users.totalCount} users{' '}
            {after && (
              <button type="button" onClick={() => setAfter(null)}>
                First page
              </button>
            )}{' '}
            {users.pageInfo.hasNextPage && (
              <button type="button" onClick={() => setAfter(users.pageInfo.endCursor ?? null)}>
                Next page
              </button>
            )}
          </p>
        </>
      )}
    </>
  );
}

export function UserPage({ id }: { id: string }) {
  const { data, error, loading, reload } = useQuery(UserQuery, { id });
  if (error && !data) return <ErrorPanel error={error} retry={reload} />;
  if (loading && !data) return <Loading what="the user" />;
  const user = data?.user;
  if (!user)
    return (
      <Empty>
        This user does not exist. <a href={href('users')}>Back to users</a>
      </Empty>
    );
  const attributes: [string, string | null | undefined][] = [
    ['Username', user.username],
    ['First name', user.firstname],
    ['Middle name', user.middlename],
    ['Last name', user.lastname],
    ['Display name', user.displayname],
    ['Job title', user.jobTitle],
    ['Department', user.department],
    ['Cost center', user.costCenter],
    ['Employee type', user.employeeType],
    ['Employee identifier', user.employeeIdentifier],
    ['Organization', user.organization],
    ['Password status', user.passwordStatus === 'PENDING' ? 'Password Pending' : 'Set'],
    ['Created', formatTime(user.createdAt)],
    ['Updated', formatTime(user.updatedAt)],
    ...user.addresses.map((a): [string, string] => [
      `${a.type} address`,
      [a.streetAddress, a.postalCode, a.locality, a.region, a.country].filter(Boolean).join(', '),
    ]),
    ...user.phoneNumbers.map((p): [string, string] => [`${p.type} phone`, p.number]),
  ];
  return (
    <>
      <p>
        <a href={href('users')}>← Users</a>
      </p>
      <div className="page-header">
        <h1>{user.email}</h1>
        <Badge value={user.state} />
      </div>
      <section className="panel" aria-labelledby="attributes-title">
        <h2 id="attributes-title">Attributes</h2>
        <DetailList rows={attributes}>
          {user.importedFrom && (
            <div>
              <dt>Imported from</dt>
              <dd>
                <a href={href('connectors', user.importedFrom.id)}>{user.importedFrom.displayLabel}</a>
                {user.createdByImport && (
                  <>
                    {' '}
                    (<a href={href('jobs', user.createdByImport.id)}>import</a>)
                  </>
                )}
              </dd>
            </div>
          )}
        </DetailList>
      </section>
      <section className="panel" aria-labelledby="events-title">
        <h2 id="events-title">Events</h2>
        <EventsTable events={data.directoryEvents} showUser={false} />
      </section>
    </>
  );
}
