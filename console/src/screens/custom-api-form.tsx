import { request } from '../api/client';
import { CreateCustomApiConnectorMutation, UpdateConnectorMutation } from '../api/operations';
import { useState } from 'react';
import type { ListUsersEndpointInput, PaginationStyle, TotalCountSource } from '../gql/graphql';
import { SelectField, TextField } from '../ui/field';
import { href } from '../ui/router';
import { AuthFields, authInput, authTouched, requiredAuthFields, type FormValues } from './auth-fields';
import type { ConnectorDetails } from './connector-details';
import { ExtraHeadersFields, headerRowErrors, type HeaderRow } from './extra-headers';
import { useConnectorForm } from './save-connector';

const REQUIRED = [
  'displayLabel',
  'baseUrl',
  'listUsers.resourceLocation',
  'listUsers.path',
  'listUsers.limitParam',
];

/** What the offset parameter carries, and what else each style needs. */
export const PAGINATION: Record<
  PaginationStyle,
  { label: string; offset?: [label: string, hint: string]; required: string[] }
> = {
  OFFSET: { label: 'Offset', offset: ['Offset Name', 'e.g. offset, skip'], required: [] },
  PAGE_NUMBER: {
    label: 'Page number',
    offset: ['Page Name', 'e.g. page'],
    required: ['listUsers.firstPage'],
  },
  CURSOR: {
    label: 'Cursor',
    offset: ['Cursor Name', 'e.g. cursor, after'],
    required: ['listUsers.cursorPath'],
  },
  NEXT_URL: { label: 'Next URL', required: [] },
};

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

const AUTH_KIND: Record<string, string> = {
  API_KEY: 'apiKey',
  BEARER_TOKEN: 'bearerToken',
  OAUTH2_AUTHORIZATION_CODE: 'oauth2',
  OAUTH2_CLIENT_CREDENTIALS: 'oauth2ClientCredentials',
  BASIC: 'basic',
};

const SENT_TO_BASE_URL = new Set(['API_KEY', 'BEARER_TOKEN', 'BASIC']);

/** The form's values for a saved connector: everything but the secrets, which are never returned. */
function valuesOf(connector: ConnectorDetails | undefined): FormValues {
  const list = connector?.listUsers;
  return {
    authMethod: AUTH_KIND[connector?.authMethod ?? ''] ?? 'apiKey',
    displayLabel: connector?.displayLabel ?? '',
    description: connector?.description ?? '',
    baseUrl: connector?.baseUrl ?? '',
    'listUsers.path': list?.path ?? '',
    'listUsers.resourceLocation': list?.resourceLocation ?? '.',
    'listUsers.totalCountSource': list?.totalCountSource ?? 'HEADER',
    'listUsers.totalCountLocation': list?.totalCountLocation ?? '',
    'listUsers.limitParam': list?.limitParam ?? 'limit',
    'listUsers.offsetParam': list?.offsetParam ?? 'offset',
    'listUsers.pageSize': String(list?.pageSize ?? 100),
    'listUsers.pagination': list?.pagination ?? 'OFFSET',
    'listUsers.firstPage': String(list?.firstPage ?? 1),
    'listUsers.cursorPath': list?.cursorPath ?? '',
    'listUsers.nextUrlPath': list?.nextUrlPath ?? '',
  };
}

/** New connector, or (given `connector`) its Configuration Settings to update; secrets are replaced only when typed. */
export function CustomApiForm({ connector, onDone }: { connector?: ConnectorDetails; onDone?: () => void }) {
  const form = useConnectorForm(valuesOf(connector));
  const { values, errors, set } = form;
  const editing = Boolean(connector);
  const source = values['listUsers.totalCountSource'] as TotalCountSource;
  const pagination = values['listUsers.pagination'] as PaginationStyle;
  const style = PAGINATION[pagination];
  const savedHeaderNames = connector?.listUsers?.extraHeaderNames ?? [];
  const [headers, setHeaders] = useState<HeaderRow[]>(() =>
    savedHeaderNames.map((name) => ({ name, value: '' })),
  );
  const text = (name: string, label: string, hint?: string) => (
    <TextField
      label={label}
      value={values[name] ?? ''}
      error={errors[name]}
      hint={hint}
      onChange={(e) => set(name, e.target.value)}
    />
  );

  const v = (name: string) => (values[name] ?? '').trim();
  // A stored secret never follows the Base URL to another origin: the server wants it typed again.
  const moves = Boolean(connector) && originOf(v('baseUrl')) !== originOf(connector!.baseUrl);
  // The saved headers stay unless the rows change, a value is typed, or the Base URL moves.
  const sendsHeaders =
    !connector ||
    headers.some((row) => row.value.trim()) ||
    headers.map((row) => row.name.trim()).join('\n') !== savedHeaderNames.join('\n') ||
    (savedHeaderNames.length > 0 && moves);
  const headerProblems = sendsHeaders ? headerRowErrors(headers) : {};
  const listUsers = (): ListUsersEndpointInput => ({
    path: v('listUsers.path'),
    resourceLocation: v('listUsers.resourceLocation'),
    totalCountSource: source,
    totalCountLocation: source === 'NONE' ? null : v('listUsers.totalCountLocation'),
    limitParam: v('listUsers.limitParam'),
    offsetParam: style.offset ? v('listUsers.offsetParam') : null,
    pageSize: Number(v('listUsers.pageSize') || 100),
    pagination,
    firstPage: pagination === 'PAGE_NUMBER' ? Number(v('listUsers.firstPage')) : null,
    cursorPath: pagination === 'CURSOR' ? v('listUsers.cursorPath') : null,
    nextUrlPath: pagination === 'NEXT_URL' ? v('listUsers.nextUrlPath') || null : null,
    ...(sendsHeaders
      ? { extraHeaders: headers.map((row) => ({ name: row.name.trim(), value: row.value.trim() })) }
      : {}),
  });
  // Editing keeps the saved credentials unless the method changes, a credential is typed, or the
  // Base URL moves away from a secret sent to it (OAuth 2.0 secrets go to the token URL instead).
  const replacesAuth =
    !connector ||
    authTouched(values) ||
    AUTH_KIND[connector.authMethod] !== values.authMethod ||
    (moves && SENT_TO_BASE_URL.has(connector.authMethod));
  const required = [
    ...REQUIRED,
    ...(replacesAuth ? requiredAuthFields(values) : []),
    ...(source === 'NONE' ? [] : ['listUsers.totalCountLocation']),
    ...(style.offset ? ['listUsers.offsetParam'] : []),
    ...style.required,
  ];

  const submit = () =>
    connector
      ? form.save(
          required,
          async () => {
            const { updateConnector } = await request(UpdateConnectorMutation, {
              id: connector.id,
              input: {
                displayLabel: v('displayLabel'),
                description: v('description') || null,
                baseUrl: v('baseUrl'),
                ...(replacesAuth ? { auth: authInput(values) } : {}),
                listUsers: listUsers(),
              },
            });
            return updateConnector;
          },
          { authorize: replacesAuth, problems: headerProblems, ...(onDone ? { after: onDone } : {}) },
        )
      : form.save(
          required,
          async () => {
            const { createCustomApiConnector } = await request(CreateCustomApiConnectorMutation, {
              input: {
                displayLabel: v('displayLabel'),
                description: v('description') || null,
                baseUrl: v('baseUrl'),
                auth: authInput(values),
                listUsers: listUsers(),
              },
            });
            return createCustomApiConnector;
          },
          { authorize: true, problems: headerProblems },
        );

  return (
    <form
      className="connector-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {!editing && (
        <>
          <p>
            <a href={href('connectors')}>← Connectors</a>
          </p>
          <h1>New Custom API connector</h1>
        </>
      )}
      <fieldset>
        <legend>Application</legend>
        {text('displayLabel', 'Display Label')}
        {text('description', 'Description (optional)')}
        {text(
          'baseUrl',
          'Base URL',
          'From the application’s REST API documentation, e.g. https://hr.example.com/api',
        )}
      </fieldset>
      <AuthFields
        values={values}
        errors={errors}
        set={set}
        keepHint={
          editing
            ? `Saved: ${connector!.authSummary}. Leave the credentials empty to keep them; moving the Base URL to another host takes them again.`
            : undefined
        }
      />
      <fieldset>
        <legend>List Users</legend>
        {text(
          'listUsers.resourceLocation',
          'Resource Location',
          '“.” when the user array is the root; users; data.resources.users',
        )}
        <TextField label="Method" value="GET" disabled readOnly />
        {text('listUsers.path', 'Endpoint Path', 'Appended to the Base URL, e.g. /employees')}
      </fieldset>
      <fieldset>
        <legend>Total count</legend>
        <SelectField
          label="Response Parameter Location"
          value={source}
          error={errors['listUsers.totalCountSource']}
          onChange={(e) => set('listUsers.totalCountSource', e.target.value)}
        >
          <option value="HEADER">Header</option>
          <option value="BODY">Body</option>
          <option value="NONE">None</option>
        </SelectField>
        {source === 'HEADER' &&
          text('listUsers.totalCountLocation', 'Response Header Name', 'e.g. X-Total-Count')}
        {source === 'BODY' &&
          text('listUsers.totalCountLocation', 'Response Body JSON Path', 'e.g. meta.total_count')}
      </fieldset>
      <fieldset>
        <legend>Pagination</legend>
        <SelectField
          label="Pagination Style"
          value={pagination}
          error={errors['listUsers.pagination']}
          onChange={(e) => set('listUsers.pagination', e.target.value)}
        >
          {Object.entries(PAGINATION).map(([value, { label }]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        {text('listUsers.limitParam', 'Limit Name', 'e.g. limit, per_page')}
        {style.offset && text('listUsers.offsetParam', ...style.offset)}
        {pagination === 'PAGE_NUMBER' && (
          <SelectField
            label="First Page"
            value={values['listUsers.firstPage']}
            error={errors['listUsers.firstPage']}
            onChange={(e) => set('listUsers.firstPage', e.target.value)}
          >
            <option value="1">1</option>
            <option value="0">0</option>
          </SelectField>
        )}
        {pagination === 'CURSOR' &&
          text(
            'listUsers.cursorPath',
            'Cursor JSON Path',
            'Where the next page’s cursor is in the body, e.g. meta.next_cursor; none ends the listing.',
          )}
        {pagination === 'NEXT_URL' &&
          text(
            'listUsers.nextUrlPath',
            'Next URL JSON Path (optional)',
            'Where the next page’s URL is in the body, e.g. links.next. Empty: the Link header (rel="next").',
          )}
        <TextField
          label="Page size"
          type="number"
          min={1}
          max={1000}
          value={values['listUsers.pageSize'] ?? ''}
          error={errors['listUsers.pageSize']}
          onChange={(e) => set('listUsers.pageSize', e.target.value)}
        />
      </fieldset>
      <ExtraHeadersFields
        rows={headers}
        setRows={(rows) => {
          setHeaders(rows);
          form.clearErrors('listUsers.extraHeaders');
        }}
        errors={errors}
        {...(editing ? { savedNames: savedHeaderNames } : {})}
      />
      {form.general && (
        <p role="alert" className="form-error">
          {form.general}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={form.busy}>
          {form.busy ? 'Saving…' : editing ? 'Update' : 'Save'}
        </button>
        {onDone ? (
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        ) : (
          <a href={href('connectors')}>Cancel</a>
        )}
      </div>
    </form>
  );
}
