import { useState } from 'react';
import { request } from '../api/client';
import { StartImportMutation } from '../api/operations';
import type { ImportOperation } from '../gql/graphql';
import { Dialog } from '../ui/dialog';
import { CheckboxField, TextField } from '../ui/field';
import { useNotify } from '../ui/notifications';
import { navigate } from '../ui/router';
import type { ConnectorDetails } from './connector-details';

type ImportOption = 'all' | 'new' | 'updates' | 'select';

const OPTIONS: { value: ImportOption; label: string; operations: ImportOperation[] }[] = [
  { value: 'all', label: 'Import new users and user updates', operations: ['USER_CREATE', 'USER_UPDATE'] },
  { value: 'new', label: 'Only import new users', operations: ['USER_CREATE'] },
  { value: 'updates', label: 'Only import user updates', operations: ['USER_UPDATE'] },
  {
    value: 'select',
    label: 'View and select specific new users to import (updates not supported)',
    operations: ['USER_CREATE'],
  },
];

/** Start Manual Import: one of the four options, reactivation and the advanced filter, then Continue. */
export function ImportSection({ connector }: { connector: ConnectorDetails }) {
  const notify = useNotify();
  const scim = connector.kind === 'SCIM';
  // SCIM connectors import new users only.
  const options = scim ? OPTIONS.filter((o) => o.value === 'new' || o.value === 'select') : OPTIONS;
  const [open, setOpen] = useState(false);
  const [option, setOption] = useState<ImportOption>(scim ? 'select' : 'all');
  const [reactivate, setReactivate] = useState(false);
  const [suspendMissing, setSuspendMissing] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [query, setQuery] = useState('');
  const [busy, setBusy] = useState(false);

  async function proceed() {
    if (option === 'select') {
      const filter = query.trim() ? `?query=${encodeURIComponent(query.trim())}` : '';
      window.location.hash = `#/connectors/${encodeURIComponent(connector.id)}/select${filter}`;
      return;
    }
    setBusy(true);
    const operations = OPTIONS.find((o) => o.value === option)!.operations;
    try {
      const { startImport } = await request(StartImportMutation, {
        input: {
          connectorId: connector.id,
          operations,
          allowUserReactivation: reactivate,
          query: query.trim() || null,
          suspendMissingUsers: suspendMissing && operations.includes('USER_UPDATE'),
          dryRun,
        },
      });
      navigate('jobs', startImport.id);
    } catch (error) {
      notify({ kind: 'error', title: 'The import did not start', body: (error as Error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="import-title">
      <h2 id="import-title">Import Users</h2>
      <p className="hint">Selected import options apply to this manual import.</p>
      <button type="button" className="primary" onClick={() => setOpen(true)}>
        Start Manual Import
      </button>
      <Dialog title="Start Manual Import" open={open} onClose={() => setOpen(false)}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void proceed();
          }}
        >
          <fieldset>
            <legend>What to import</legend>
            {options.map((o) => (
              <div className="radio" key={o.value}>
                <input
                  type="radio"
                  id={`import-option-${o.value}`}
                  name="import-option"
                  value={o.value}
                  checked={option === o.value}
                  onChange={() => setOption(o.value)}
                />
                <label htmlFor={`import-option-${o.value}`}>{o.label}</label>
              </div>
            ))}
          </fieldset>
          <fieldset>
            <legend>Import Settings</legend>
            {!scim && (
              <CheckboxField
                label="Allow reactivation of users on update"
                checked={reactivate}
                onChange={(e) => setReactivate(e.target.checked)}
              />
            )}
            {!scim && (option === 'all' || option === 'updates') && (
              <CheckboxField
                label="Suspend users no longer in the application"
                checked={suspendMissing}
                onChange={(e) => setSuspendMissing(e.target.checked)}
              />
            )}
            <TextField
              label="Apply Advanced Filters on import (optional)"
              value={query}
              hint={
                scim
                  ? 'Sent as the SCIM filter, e.g. userType eq "Employee"'
                  : 'Sent as the list endpoint’s query string'
              }
              onChange={(e) => setQuery(e.target.value)}
            />
            {option !== 'select' && (
              <CheckboxField label="Dry run" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
            )}
          </fieldset>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              Continue
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}
