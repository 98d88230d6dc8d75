import { useState } from 'react';
import { request } from '../api/client';
import { SetImportBrakeMutation } from '../api/operations';
import type { ImportScheduleQuery } from '../gql/graphql';
import { CheckboxField, TextField } from '../ui/field';
import { useNotify } from '../ui/notifications';
import { fieldErrorsOf, type FieldErrors } from './form-errors';

const limitText = (limit: number | null | undefined) =>
  limit === null || limit === undefined ? '' : String(limit);
/** An empty limit does not count. */
const limitOf = (text: string) => (text.trim() === '' ? null : Number(text));

/**
 * The brake on mass suspensions: an import (manual or scheduled) planning more suspensions than these
 * limits stops before it changes anything and waits for an admin's approval.
 */
export function BrakeForm({
  connectorId,
  brake,
  saved,
}: {
  connectorId: string;
  brake: NonNullable<ImportScheduleQuery['connector']>['importBrake'];
  saved(): void;
}) {
  const notify = useNotify();
  const [enabled, setEnabled] = useState(brake.enabled);
  const [maxSuspensions, setMaxSuspensions] = useState(limitText(brake.maxSuspensions));
  const [maxPercent, setMaxPercent] = useState(limitText(brake.maxSuspensionPercent));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  async function save() {
    setBusy(true);
    try {
      await request(SetImportBrakeMutation, {
        connectorId,
        input: {
          enabled,
          maxSuspensions: limitOf(maxSuspensions),
          maxSuspensionPercent: limitOf(maxPercent),
        },
      });
      setErrors({});
      notify({ kind: 'success', title: 'Brake saved' });
      saved();
    } catch (err) {
      const { fields, general } = fieldErrorsOf(err);
      setErrors(fields);
      notify({ kind: 'error', title: 'Could not save the brake', body: general ?? 'Check the limits.' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      aria-labelledby="brake-title"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <fieldset>
        <legend id="brake-title">Brake on mass suspensions</legend>
        <p className="hint">
          An import that would suspend more users stops before changing anything and waits for approval. An
          empty limit does not count.
        </p>
        <CheckboxField
          label="Stop imports that suspend many users"
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
        />
        <TextField
          label="Maximum suspensions"
          type="number"
          min={0}
          step={1}
          value={maxSuspensions}
          error={errors['maxSuspensions']}
          onChange={(e) => setMaxSuspensions(e.target.value)}
        />
        <TextField
          label="Maximum percent of active users"
          type="number"
          min={0}
          max={100}
          step="any"
          value={maxPercent}
          hint="Counts once the connector has 100 or more active users"
          error={errors['maxSuspensionPercent']}
          onChange={(e) => setMaxPercent(e.target.value)}
        />
      </fieldset>
      <button type="submit" disabled={busy}>
        Save brake
      </button>
    </form>
  );
}
