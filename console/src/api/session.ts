/** Who the console calls the API as: kept in sessionStorage only, so closing the tab signs out. */
export interface Session {
  orgId: string;
  apiKey: string;
}

const KEY = 'uif-console-session';

export function loadSession(): Session | null {
  const stored = sessionStorage.getItem(KEY);
  if (!stored) return null;
  try {
    const session = JSON.parse(stored) as Partial<Session>;
    return session.orgId && session.apiKey ? { orgId: session.orgId, apiKey: session.apiKey } : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

export function authHeaders(session: Session): Record<string, string> {
  return { 'x-api-key': session.apiKey, 'x-org-id': session.orgId };
}
