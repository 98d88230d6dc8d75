import { request } from '../api/client';
import { CreateScimConnectorMutation } from '../api/operations';
import { TextField } from '../ui/field';
import { href } from '../ui/router';
import { AuthFields, authInput, requiredAuthFields } from './auth-fields';
import { useConnectorForm } from './save-connector';

export function ScimForm() {
  const form = useConnectorForm({ authMethod: 'bearerToken' });
  const { values, errors, set } = form;
  const submit = () =>
    form.save(['displayLabel', 'baseUrl', ...requiredAuthFields(values)], async () => {
      const v = (name: string) => (values[name] ?? '').trim();
      const { createScimConnector } = await request(CreateScimConnectorMutation, {
        input: {
          displayLabel: v('displayLabel'),
          description: v('description') || null,
          baseUrl: v('baseUrl'),
          auth: authInput(values),
        },
      });
      return createScimConnector;
    });
  return (
    <form
      className="connector-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p>
        <a href={href('connectors')}>← Connectors</a>
      </p>
      <h1>New SCIM connector</h1>
      <fieldset>
        <legend>Application</legend>
        <TextField
          label="Display Label"
          value={values.displayLabel ?? ''}
          error={errors.displayLabel}
          onChange={(e) => set('displayLabel', e.target.value)}
        />
        <TextField
          label="Description (optional)"
          value={values.description ?? ''}
          error={errors.description}
          onChange={(e) => set('description', e.target.value)}
        />
        <TextField
          label="Base URL"
          value={values.baseUrl ?? ''}
          error={errors.baseUrl}
          hint="The SCIM service's base, e.g. https://app.example.com/scim/v2"
          onChange={(e) => set('baseUrl', e.target.value)}
        />
      </fieldset>
      <AuthFields values={values} errors={errors} set={set} />
      {form.general && (
        <p role="alert" className="form-error">
          {form.general}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={form.busy}>
          {form.busy ? 'Saving…' : 'Save'}
        </button>
        <a href={href('connectors')}>Cancel</a>
      </div>
    </form>
  );
}
