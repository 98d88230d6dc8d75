import { useId, useState } from 'react';
import { request } from '../api/client';
import {
  MappedUserPreviewQuery,
  SetAttributeMappingMutation,
  UserSchemaPreviewQuery,
} from '../api/operations';
import type {
  MappedUserPreviewQuery as MappedData,
  UserAttribute,
  UserSchemaPreviewQuery as SchemaData,
} from '../gql/graphql';
import { Dialog } from '../ui/dialog';
import { TextField } from '../ui/field';
import { useNotify } from '../ui/notifications';
import type { ConnectorDetails } from './connector-details';
import { fieldErrorsOf, type FieldErrors } from './form-errors';

const REQUIRED: [UserAttribute, string][] = [
  ['EMAIL', 'Company email'],
  ['USERNAME', 'Username'],
];

const OPTIONAL: [UserAttribute, string][] = [
  ['FIRSTNAME', 'First name'],
  ['LASTNAME', 'Last name'],
  ['MIDDLENAME', 'Middle name'],
  ['DISPLAYNAME', 'Display name'],
  ['JOB_TITLE', 'Job title'],
  ['DEPARTMENT', 'Department'],
  ['COST_CENTER', 'Cost center'],
  ['EMPLOYEE_TYPE', 'Employee type'],
  ['EMPLOYEE_IDENTIFIER', 'Employee identifier'],
  ['ORGANIZATION', 'Organization'],
  ['WORK_STREET_ADDRESS', 'Work street address'],
  ['WORK_LOCALITY', 'Work city'],
  ['WORK_REGION', 'Work region'],
  ['WORK_POSTAL_CODE', 'Work postal code'],
  ['WORK_COUNTRY', 'Work country'],
  ['HOME_STREET_ADDRESS', 'Home street address'],
  ['HOME_LOCALITY', 'Home city'],
  ['HOME_REGION', 'Home region'],
  ['HOME_POSTAL_CODE', 'Home postal code'],
  ['HOME_COUNTRY', 'Home country'],
  ['WORK_PHONE', 'Work phone'],
  ['HOME_PHONE', 'Home phone'],
  ['MOBILE_PHONE', 'Mobile phone'],
];

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

type Schema = SchemaData['userSchemaPreview'];

function PreviewDialog({
  schema,
  mapped,
  onClose,
}: {
  schema: Schema | null;
  mapped: MappedData['mappedUserPreview'] | null;
  onClose(): void;
}) {
  return (
    <Dialog title="User schema preview" open={Boolean(schema || mapped)} onClose={onClose} wide>
      {schema && (
        <section aria-labelledby="raw-users-title">
          <h3 id="raw-users-title">Users as the provider returns them</h3>
          <pre tabIndex={0} aria-label="Provider users" className="resizable">
            {JSON.stringify(schema.sample, null, 2)}
          </pre>
        </section>
      )}
      {mapped && (
        <section aria-labelledby="mapped-users-title">
          <h3 id="mapped-users-title">Mapped users</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">External ID</th>
                <th scope="col">Attributes</th>
                <th scope="col">Errors</th>
              </tr>
            </thead>
            <tbody>
              {mapped.map((user, index) => (
                <tr key={user.externalId ?? index}>
                  <td>{user.externalId ?? '—'}</td>
                  <td>
                    <dl className="attributes">
                      {Object.entries((user.attributes ?? {}) as Record<string, unknown>).map(
                        ([name, value]) => (
                          <div key={name}>
                            <dt>{name}</dt>
                            <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
                          </div>
                        ),
                      )}
                    </dl>
                  </td>
                  <td className={user.errors.length ? 'field-error' : undefined}>
                    {user.errors.length ? user.errors.join('; ') : 'None'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={onClose}>
          OK
        </button>
      </div>
    </Dialog>
  );
}

export function MappingSection({ connector, onSaved }: { connector: ConnectorDetails; onSaved(): void }) {
  const notify = useNotify();
  const fieldsListId = useId();
  const saved = connector.mapping;
  const [paths, setPaths] = useState<Record<string, string>>(() =>
    Object.fromEntries((saved?.entries ?? []).map((entry) => [entry.target, entry.sourcePath])),
  );
  const [transforms, setTransforms] = useState<Record<string, string>>(() =>
    Object.fromEntries((saved?.entries ?? []).map((entry) => [entry.target, entry.transform ?? ''])),
  );
  const [externalIdPath, setExternalIdPath] = useState(saved?.externalIdPath ?? '$.id');
  const [statusPath, setStatusPath] = useState(saved?.statusPath ?? '');
  const [statusTransform, setStatusTransform] = useState(saved?.statusTransform ?? '');
  const [inactive, setInactive] = useState((saved?.inactiveStatuses ?? ['Leave', 'Inactive']).join(', '));
  const [active, setActive] = useState((saved?.activeStatuses ?? ['Onboarding', 'Active']).join(', '));
  const [schema, setSchema] = useState<Schema | null>(null);
  const [preview, setPreview] = useState<{
    schema: Schema | null;
    mapped: MappedData['mappedUserPreview'] | null;
  }>({
    schema: null,
    mapped: null,
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function loadFields() {
    try {
      const { userSchemaPreview } = await request(UserSchemaPreviewQuery, { connectorId: connector.id });
      setSchema(userSchemaPreview);
      return userSchemaPreview;
    } catch (error) {
      notify({
        kind: 'error',
        title: 'Could not read the user schema',
        body: String((error as Error).message),
      });
      return null;
    }
  }

  async function save(): Promise<boolean> {
    const empty: FieldErrors = Object.fromEntries(
      REQUIRED.filter(([target]) => !(paths[target] ?? '').trim()).map(([target]) => [target, 'is required']),
    );
    setErrors(empty);
    setGeneral(null);
    if (Object.keys(empty).length) {
      setGeneral('Map Company email and Username first.');
      return false;
    }
    const entries = [...REQUIRED, ...OPTIONAL]
      .map(([target]) => ({
        target,
        sourcePath: (paths[target] ?? '').trim(),
        transform: (transforms[target] ?? '').trim() || null,
      }))
      .filter((entry) => entry.sourcePath);
    try {
      await request(SetAttributeMappingMutation, {
        connectorId: connector.id,
        input: {
          entries,
          externalIdPath: externalIdPath.trim() || '$.id',
          statusPath: statusPath.trim() || null,
          statusTransform: statusTransform.trim() || null,
          inactiveStatuses: list(inactive),
          activeStatuses: list(active),
        },
      });
      return true;
    } catch (error) {
      const { fields, general: message } = fieldErrorsOf(error);
      // entries.N.sourcePath → the Nth entry's attribute; entries.N.transform → its transform
      const placed: FieldErrors = {};
      for (const [key, text] of Object.entries(fields)) {
        const [, index, part] = /^entries\.(\d+)(?:\.(\w+))?/.exec(key) ?? [];
        const target = index !== undefined ? entries[Number(index)]?.target : undefined;
        // "(FIRSTNAME) is not a valid JSONata expression…": the field beside it already names the attribute
        placed[target ? (part === 'transform' ? `${target}.transform` : target) : key] = text.replace(
          /^\(\w+\) /,
          '',
        );
      }
      setErrors(placed);
      setGeneral(message ?? 'Some mappings need your attention.');
      return false;
    }
  }

  async function run(action: 'save' | 'preview') {
    setBusy(true);
    try {
      if (!(await save())) return;
      onSaved();
      if (action === 'save') {
        notify({ kind: 'success', title: 'Attribute mapping saved' });
        return;
      }
      const [loaded, mapped] = await Promise.all([
        schema ?? loadFields(),
        request(MappedUserPreviewQuery, { connectorId: connector.id }).then((data) => data.mappedUserPreview),
      ]);
      setPreview({ schema: loaded, mapped });
    } catch (error) {
      notify({ kind: 'error', title: 'Preview failed', body: String((error as Error).message) });
    } finally {
      setBusy(false);
    }
  }

  // A transform applies to the value found at the path: offered once the attribute is mapped.
  const pathField = (target: string, label: string, optional = false) => (
    <div key={target}>
      <TextField
        label={optional ? `${label} (optional)` : label}
        list={fieldsListId}
        placeholder="$.field"
        value={paths[target] ?? ''}
        error={errors[target]}
        onChange={(e) => setPaths((all) => ({ ...all, [target]: e.target.value }))}
      />
      {((paths[target] ?? '').trim() || transforms[target]) && (
        <div className="transform">
          <TextField
            label={`${label} transform (optional)`}
            placeholder="$lowercase($)"
            value={transforms[target] ?? ''}
            error={errors[`${target}.transform`]}
            onChange={(e) => setTransforms((all) => ({ ...all, [target]: e.target.value }))}
          />
        </div>
      )}
    </div>
  );

  return (
    <section className="panel" aria-labelledby="mapping-title">
      <h2 id="mapping-title">User Schema Attribute Mapping</h2>
      <p className="hint">
        JSONPath into one provider user, e.g. <code>$.work_email</code>. Alternatives separated by{' '}
        <code>||</code> are tried in order. A transform is a JSONata expression applied to the value found,
        bound as <code>$</code>, e.g. <code>$lowercase($)</code>; with the path <code>$</code> it sees the
        whole user: <code>{'$lowercase(first_name & "." & last_name)'}</code>.{' '}
        <button type="button" onClick={() => void loadFields()}>
          Load the provider’s fields
        </button>
      </p>
      <datalist id={fieldsListId}>
        {schema?.fields.map((field) => (
          <option key={field.path} value={field.path}>
            {`${field.path} (${field.type}) e.g. ${JSON.stringify(field.example)}`}
          </option>
        ))}
      </datalist>
      {schema && (
        <details>
          <summary>{schema.fields.length} fields in the provider’s users</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">Path</th>
                <th scope="col">Type</th>
                <th scope="col">Example</th>
              </tr>
            </thead>
            <tbody>
              {schema.fields.map((field) => (
                <tr key={field.path}>
                  <td>
                    <code>{field.path}</code>
                  </td>
                  <td>{field.type}</td>
                  <td>{JSON.stringify(field.example)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      <fieldset>
        <legend>Required</legend>
        <div className="grid">{REQUIRED.map(([target, label]) => pathField(target, label))}</div>
      </fieldset>
      <fieldset>
        <legend>Optional attributes</legend>
        <div className="grid">{OPTIONAL.map(([target, label]) => pathField(target, label, true))}</div>
      </fieldset>
      <fieldset>
        <legend>Identity and status</legend>
        <div className="grid">
          <TextField
            label="External ID path"
            list={fieldsListId}
            value={externalIdPath}
            error={errors.externalIdPath}
            onChange={(e) => setExternalIdPath(e.target.value)}
          />
          <TextField
            label="Status path"
            list={fieldsListId}
            value={statusPath}
            error={errors.statusPath}
            hint="Empty: every user counts as active."
            onChange={(e) => setStatusPath(e.target.value)}
          />
          <TextField
            label="Status transform (optional)"
            placeholder='end_date ? "Inactive" : status'
            value={statusTransform}
            error={errors.statusTransform}
            hint={
              <>
                JSONata applied to the status found; with the Status path <code>$</code> it sees the whole
                user.
              </>
            }
            onChange={(e) => setStatusTransform(e.target.value)}
          />
          <TextField
            label="Inactive statuses"
            value={inactive}
            error={errors.inactiveStatuses}
            hint="Comma-separated; these suspend a user."
            onChange={(e) => setInactive(e.target.value)}
          />
          <TextField
            label="Active statuses"
            value={active}
            error={errors.activeStatuses}
            hint="Comma-separated."
            onChange={(e) => setActive(e.target.value)}
          />
        </div>
      </fieldset>
      {general && (
        <p role="alert" className="form-error">
          {general}
        </p>
      )}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void run('save')}>
          Save mapping
        </button>
        <button type="button" disabled={busy} onClick={() => void run('preview')}>
          Preview
        </button>
      </div>
      <PreviewDialog
        schema={preview.schema}
        mapped={preview.mapped}
        onClose={() => setPreview({ schema: null, mapped: null })}
      />
    </section>
  );
}
