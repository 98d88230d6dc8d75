import type { ConnectorAuthInput } from '../gql/graphql';
import { SelectField, TextField } from '../ui/field';
import type { FieldErrors } from './form-errors';

export type FormValues = Record<string, string>;

const AUTH_FIELDS = {
  apiKey: [
    ['auth.apiKey.headerName', 'Header name', true],
    ['auth.apiKey.headerValue', 'Header value', true],
  ],
  bearerToken: [['auth.bearerToken.token', 'Token Key', true]],
  oauth2: [
    ['auth.oauth2.authorizationUrl', 'Authorization URL', true],
    ['auth.oauth2.clientId', 'Client ID', true],
    ['auth.oauth2.clientSecret', 'Client Secret', true],
    ['auth.oauth2.accessTokenUrl', 'Access Token URL', true],
    ['auth.oauth2.revokeUrl', 'Revoke URL', false],
    ['auth.oauth2.scopes', 'Scopes', false],
  ],
  oauth2ClientCredentials: [
    ['auth.oauth2ClientCredentials.accessTokenUrl', 'Access Token URL', true],
    ['auth.oauth2ClientCredentials.clientId', 'Client ID', true],
    ['auth.oauth2ClientCredentials.clientSecret', 'Client Secret', true],
    ['auth.oauth2ClientCredentials.scopes', 'Scopes', false],
    ['auth.oauth2ClientCredentials.audience', 'Audience', false],
  ],
  basic: [
    ['auth.basic.username', 'User name', true],
    ['auth.basic.password', 'Password', true],
  ],
} as const satisfies Record<string, readonly (readonly [string, string, boolean])[]>;

export type AuthKind = keyof typeof AUTH_FIELDS;

const SECRET_FIELDS = new Set([
  'auth.apiKey.headerValue',
  'auth.bearerToken.token',
  'auth.oauth2.clientSecret',
  'auth.oauth2ClientCredentials.clientSecret',
  'auth.basic.password',
]);

/** Whether any credential field is filled: an update without any keeps the saved credentials. */
export function authTouched(values: FormValues): boolean {
  return AUTH_FIELDS[(values.authMethod ?? 'apiKey') as AuthKind].some(([name]) =>
    (values[name] ?? '').trim(),
  );
}

export function requiredAuthFields(values: FormValues): string[] {
  return AUTH_FIELDS[(values.authMethod ?? 'apiKey') as AuthKind]
    .filter(([, , required]) => required)
    .map(([name]) => name);
}

/** The one auth member the chosen method fills, from the form's flat values. */
export function authInput(values: FormValues): ConnectorAuthInput {
  const kind = (values.authMethod ?? 'apiKey') as AuthKind;
  const member: Record<string, string | null> = {};
  for (const [name, , required] of AUTH_FIELDS[kind]) {
    const value = (values[name] ?? '').trim();
    member[name.split('.').pop()!] = value || (required ? '' : null);
  }
  return { [kind]: member } as ConnectorAuthInput;
}

export function AuthFields({
  values,
  errors,
  set,
  keepHint,
}: {
  values: FormValues;
  errors: FieldErrors;
  set(name: string, value: string): void;
  /** Editing: what is saved now, kept while the fields stay empty. */
  keepHint?: string;
}) {
  const kind = (values.authMethod ?? 'apiKey') as AuthKind;
  return (
    <fieldset>
      <legend>Authentication</legend>
      <SelectField
        label="Authentication Method"
        value={kind}
        error={errors.auth}
        onChange={(e) => set('authMethod', e.target.value)}
      >
        <option value="apiKey">API Key</option>
        <option value="bearerToken">Bearer Token</option>
        <option value="oauth2">OAuth 2.0</option>
        <option value="oauth2ClientCredentials">OAuth 2.0 client credentials</option>
        <option value="basic">Basic</option>
      </SelectField>
      {keepHint && <p className="hint">{keepHint}</p>}
      {AUTH_FIELDS[kind].map(([name, label, required]) => (
        <TextField
          key={name}
          label={required ? label : `${label} (optional)`}
          type={SECRET_FIELDS.has(name) ? 'password' : 'text'}
          autoComplete="off"
          value={values[name] ?? ''}
          error={errors[name]}
          hint={name.endsWith('.scopes') ? 'Separate several scopes with a space.' : undefined}
          onChange={(e) => set(name, e.target.value)}
        />
      ))}
      {kind === 'oauth2' && (
        <p className="hint">
          After saving you are sent to the provider to authorize, then brought back here.
        </p>
      )}
    </fieldset>
  );
}
