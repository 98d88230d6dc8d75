import { useEffect, useState } from 'react';
import { request } from '../api/client';
import { OrganizationQuery, UpdateOrganizationMutation } from '../api/operations';
import { useQuery } from '../api/use-query';
import { TextField } from '../ui/field';
import { useNotify } from '../ui/notifications';
import { ErrorPanel, Loading } from '../ui/status';
import { fieldErrorsOf, type FieldErrors } from './form-errors';

export function OrganizationPage() {
  const notify = useNotify();
  const { data, error, loading, reload } = useQuery(OrganizationQuery);
  const [name, setName] = useState('');
  const [emails, setEmails] = useState('');
  const [limit, setLimit] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!data) return;
    setName(data.organization.name);
    setEmails(data.organization.notificationEmails.join(', '));
    setLimit(
      data.organization.userLicenseLimit === null || data.organization.userLicenseLimit === undefined
        ? ''
        : String(data.organization.userLicenseLimit),
    );
  }, [data]);

  async function save() {
    setBusy(true);
    setErrors({});
    try {
      await request(UpdateOrganizationMutation, {
        input: {
          name: name.trim(),
          notificationEmails: emails
            .split(/[,\s]+/)
            .map((e) => e.trim())
            .filter(Boolean),
          userLicenseLimit: limit.trim() ? Number(limit) : null,
        },
      });
      notify({ kind: 'success', title: 'Organization saved' });
      reload();
    } catch (err) {
      const { fields, general } = fieldErrorsOf(err);
      setErrors(fields);
      if (general) notify({ kind: 'error', title: 'Could not save', body: general });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1>Organization</h1>
      {error && <ErrorPanel error={error} retry={reload} />}
      {loading && !data && <Loading what="the organization" />}
      {data && (
        <form
          className="panel"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <p className="muted">
            {data.organization.id} · {data.organization.userCount} users
          </p>
          <TextField
            label="Name"
            value={name}
            error={errors.name}
            onChange={(e) => setName(e.target.value)}
          />
          <TextField
            label="Notification emails"
            value={emails}
            error={errors.notificationEmails}
            hint="Who receives the User Import Complete emails; separate addresses with commas."
            onChange={(e) => setEmails(e.target.value)}
          />
          <TextField
            label="User license limit"
            type="number"
            min={0}
            value={limit}
            error={errors.userLicenseLimit}
            hint="Empty: unlimited. Imports create no users beyond it."
            onChange={(e) => setLimit(e.target.value)}
          />
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
        </form>
      )}
    </>
  );
}
