import { useMemo, useState } from 'react';
import { request } from '../api/client';
import { ImportCandidatesQuery, StartImportMutation } from '../api/operations';
import { useQuery } from '../api/use-query';
import { TextField } from '../ui/field';
import { useNotify } from '../ui/notifications';
import { href, navigate } from '../ui/router';
import { Empty, ErrorPanel, Loading } from '../ui/status';

function filterFromHash(): string | null {
  const query = new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('query');
  return query || null;
}

/** A yes/no status (SCIM's `active`) reads as Active or Inactive; any other as the provider says it. */
function statusLabel(status: string | null | undefined): string {
  if (status === 'true') return 'Active';
  if (status === 'false') return 'Inactive';
  return status ?? '—';
}

/** View and select specific new users: checkboxes, search, the count at the bottom left, then Import. */
export function SelectUsersPage({ connectorId }: { connectorId: string }) {
  const notify = useNotify();
  const [query] = useState(filterFromHash);
  const { data, error, loading, reload } = useQuery(ImportCandidatesQuery, { connectorId, query });
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);

  const candidates = data?.importCandidates.nodes;
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (candidates ?? []).filter(
      (c) =>
        !needle ||
        [c.email, c.username, c.displayname, c.externalId].some((value) =>
          value?.toLowerCase().includes(needle),
        ),
    );
  }, [candidates, search]);
  const allShownSelected = shown.length > 0 && shown.every((c) => selected.has(c.externalId));

  const toggle = (ids: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  async function importSelected() {
    setBusy(true);
    try {
      const { startImport } = await request(StartImportMutation, {
        input: { connectorId, operations: ['USER_CREATE'], selectedExternalIds: [...selected], query },
      });
      navigate('jobs', startImport.id);
    } catch (err) {
      notify({ kind: 'error', title: 'The import did not start', body: (err as Error).message });
      setBusy(false);
    }
  }

  return (
    <>
      <p>
        <a href={href('connectors', connectorId)}>← Connector</a>
      </p>
      <h1>Select users to import</h1>
      {error && <ErrorPanel error={error} retry={reload} />}
      {loading && !data && <Loading what="the new users in the application" />}
      {candidates && candidates.length === 0 && (
        <Empty>The application has no users the directory lacks.</Empty>
      )}
      {candidates && candidates.length > 0 && (
        <>
          <TextField
            label="Search"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <table className="selectable">
            <caption className="visually-hidden">New users in the application</caption>
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label="Select all shown users"
                    checked={allShownSelected}
                    onChange={(e) =>
                      toggle(
                        shown.map((c) => c.externalId),
                        e.target.checked,
                      )
                    }
                  />
                </th>
                <th scope="col">Email</th>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => (
                <tr key={c.externalId}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${c.email ?? c.username ?? c.externalId}`}
                      checked={selected.has(c.externalId)}
                      onChange={(e) => toggle([c.externalId], e.target.checked)}
                    />
                  </td>
                  <td>{c.email ?? '—'}</td>
                  <td>{c.username ?? '—'}</td>
                  <td>{c.displayname ?? '—'}</td>
                  <td>{statusLabel(c.status)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length === 0 && <Empty>No user matches “{search}”.</Empty>}
          <div className="selection-footer">
            <span role="status" className="selected-count">
              {selected.size} of {data!.importCandidates.totalCount} users selected
            </span>
            <button
              type="button"
              className="primary"
              disabled={busy || selected.size === 0}
              onClick={() => void importSelected()}
            >
              {busy ? 'Importing…' : 'Import'}
            </button>
          </div>
        </>
      )}
    </>
  );
}
