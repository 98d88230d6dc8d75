import type { ReactNode } from 'react';
import type { ApiError } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Loading {what}…
    </p>
  );
}

/** A failed call says what failed and offers to try again: never a blank screen. */
export function ErrorPanel({ error, retry }: { error: ApiError; retry?: () => void }) {
  return (
    <div role="alert" className="panel error-panel">
      <p>
        <strong>Something went wrong:</strong> {error.message}
      </p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Badge({ value }: { value: string }) {
  return <span className={`badge badge-${value.toLowerCase()}`}>{value.replace(/_/g, ' ')}</span>;
}
