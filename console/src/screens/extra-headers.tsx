import { TextField } from '../ui/field';
import type { FieldErrors } from './form-errors';

export interface HeaderRow {
  name: string;
  value: string;
}

const KEY = 'listUsers.extraHeaders';

/** Every row needs both a name and a value; the server gets all of them or none. */
export function headerRowErrors(rows: HeaderRow[]): FieldErrors {
  const errors: FieldErrors = {};
  rows.forEach((row, index) => {
    if (!row.name.trim()) errors[`${KEY}.${index}.name`] = 'is required';
    if (!row.value.trim()) errors[`${KEY}.${index}.value`] = 'is required';
  });
  return errors;
}

/**
 * Headers the provider wants on every request besides the credentials (a tenant, an API version).
 * Their values are secret: editing shows the saved names only, and the values are typed again.
 */
export function ExtraHeadersFields({
  rows,
  setRows,
  errors,
  savedNames,
}: {
  rows: HeaderRow[];
  setRows(rows: HeaderRow[]): void;
  errors: FieldErrors;
  /** Editing: the names saved now, whose values the server never returns. */
  savedNames?: string[];
}) {
  const change = (index: number, part: keyof HeaderRow, text: string) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, [part]: text } : row)));
  const whole = errors[KEY];
  return (
    <fieldset>
      <legend>Custom Headers</legend>
      <p className="hint">
        Sent with every request, e.g. <code>X-Tenant-ID</code>.
        {savedNames?.length
          ? ` Saved: ${savedNames.join(', ')}. Values are never shown: type each value again to change them or to move the Base URL to another host; leave them all empty to keep them.`
          : ''}
      </p>
      {whole && <p className="field-error">{whole}</p>}
      {rows.map((row, index) => (
        <div className="header-row" key={index}>
          <TextField
            label={`Custom header ${index + 1} name`}
            autoComplete="off"
            value={row.name}
            error={errors[`${KEY}.${index}.name`]}
            onChange={(e) => change(index, 'name', e.target.value)}
          />
          <TextField
            label={`Custom header ${index + 1} value`}
            type="password"
            autoComplete="off"
            value={row.value}
            error={
              errors[`${KEY}.${index}.value`] ??
              (whole && !row.value.trim() ? 'type the value again' : undefined)
            }
            onChange={(e) => change(index, 'value', e.target.value)}
          />
          <button
            type="button"
            aria-label={`Remove custom header ${index + 1}`}
            onClick={() => setRows(rows.filter((_, i) => i !== index))}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => setRows([...rows, { name: '', value: '' }])}>
        Add header
      </button>
    </fieldset>
  );
}
