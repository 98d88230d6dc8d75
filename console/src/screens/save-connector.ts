import { useState } from 'react';
import { request } from '../api/client';
import { BeginOAuthMutation } from '../api/operations';
import { useNotify } from '../ui/notifications';
import { navigate } from '../ui/router';
import { type FormValues } from './auth-fields';
import { fieldErrorsOf, missing, type FieldErrors } from './form-errors';

/** After a refused Save, the keyboard lands on the first field to fix. */
function focusFirstInvalid(): void {
  setTimeout(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

/**
 * The form's state and its Save: every empty required field and every problem the server names
 * show at once beside their fields; a saved OAuth 2.0 connector goes on to the provider's page.
 */
export function useConnectorForm(initial: FormValues) {
  const notify = useNotify();
  const [values, setValues] = useState<FormValues>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** An edited field's error goes with the edit: what still stands is named again on the next Save. */
  const clearErrors = (prefix: string) =>
    setErrors((all) => Object.fromEntries(Object.entries(all).filter(([key]) => !key.startsWith(prefix))));
  const set = (name: string, value: string) => {
    setValues((all) => ({ ...all, [name]: value }));
    clearErrors(name);
  };

  async function save(
    required: string[],
    create: () => Promise<{ id: string; authMethod: string }>,
    options: { authorize: boolean; after?: () => void; problems?: FieldErrors } = { authorize: true },
  ) {
    const empty = { ...missing(values, required), ...options.problems };
    setErrors(empty);
    setGeneral(Object.keys(empty).length ? 'Some fields need your attention.' : null);
    if (Object.keys(empty).length) {
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    try {
      const connector = await create();
      notify({ kind: 'success', title: 'Connector saved' });
      if (options.authorize && connector.authMethod === 'OAUTH2_AUTHORIZATION_CODE') {
        const { beginOAuthAuthorization } = await request(BeginOAuthMutation, { connectorId: connector.id });
        window.location.assign(beginOAuthAuthorization.authorizationUrl);
        return;
      }
      if (options.after) options.after();
      else navigate('connectors', connector.id);
    } catch (error) {
      const { fields, general: message } = fieldErrorsOf(error);
      setErrors(fields);
      setGeneral(message ?? 'Some fields need your attention.');
      focusFirstInvalid();
    } finally {
      setBusy(false);
    }
  }

  return { values, errors, general, busy, set, clearErrors, save };
}
