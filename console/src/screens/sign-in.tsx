import { useState, type FormEvent } from 'react';
import { ApiError, request } from '../api/client';
import { OrganizationQuery } from '../api/operations';
import { saveSession, type Session } from '../api/session';
import { TextField } from '../ui/field';

export function SignIn({ onSignedIn }: { onSignedIn(session: Session): void }) {
  const [orgId, setOrgId] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const session = { orgId: orgId.trim(), apiKey: apiKey.trim() };
    if (!session.orgId || !session.apiKey) {
      setError('Enter both the Organization ID and the API key.');
      return;
    }
    setBusy(true);
    try {
      await request(OrganizationQuery, {}, session);
      saveSession(session);
      onSignedIn(session);
    } catch (cause) {
      setError(
        cause instanceof ApiError && cause.code === 'UNAUTHENTICATED'
          ? 'The API key is not valid for this organization.'
          : cause instanceof Error
            ? cause.message
            : String(cause),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form onSubmit={(event) => void submit(event)} className="panel" noValidate>
        <h1>User import · Admin console</h1>
        <p className="muted">Sign in with your organization's API key.</p>
        <TextField
          label="Organization ID"
          value={orgId}
          autoComplete="username"
          onChange={(e) => setOrgId(e.target.value)}
        />
        <TextField
          label="API key"
          type="password"
          value={apiKey}
          autoComplete="current-password"
          onChange={(e) => setApiKey(e.target.value)}
        />
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
